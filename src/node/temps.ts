/**
 * Temporary files: how they are named, those being written now (kept in a module of their own so
 * that the command line's Ctrl-C handler can remove them without loading the readers at
 * start-up), and those a killed run left behind.
 */
import { rmSync } from "node:fs";
import { lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/** Paths of temporary files `AtomicFiles` has made and not yet renamed or removed. */
export const pending = new Set<string>();

/**
 * The temporary name an output is written to before it is renamed into place: the process id in
 * it tells whose it is, so a later run can tell a dead run's leftovers from a live run's writes.
 * @example tempPathFor("out/a.musicxml", 4242) // "out/a.musicxml.tutti-4242.tmp"
 */
export function tempPathFor(path: string, pid: number = process.pid): string {
  return `${path}.tutti-${pid}.tmp`;
}

/** `tempPathFor`'s names, with the process id caught. */
const TEMP_NAME = /^.+\.tutti-(\d+)\.tmp$/;

/** Removes the temporary files of writes in progress (on Ctrl-C), so an interrupted run leaves none. */
export function removePendingTemps(): void {
  for (const t of pending) rmSync(t, { force: true });
  pending.clear();
}

/**
 * Removes, in each folder given (not below it), the temporary files of Tutti runs that are no
 * longer running: a run killed outright (SIGKILL, out of memory, power cut) cannot remove its
 * own. Only regular files named as `tempPathFor` names them are touched, and only when no process
 * of their id is running here. A folder that does not exist is passed over.
 *
 * Process ids are this machine's: a folder written at once from several machines (a shared
 * network drive) or from containers with their own process ids could lose a live run's temporary
 * file, which makes that run's file fail, never a wrong output. Give each machine its own folder.
 * @example await removeStaleTemps(["out"]) // ["out/a.musicxml.tutti-4242.tmp"] when run 4242 was killed
 */
export async function removeStaleTemps(folders: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of new Set(folders)) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const pid = Number(TEMP_NAME.exec(name)?.[1]);
      if (!(pid > 0) || isRunning(pid)) continue;
      const path = join(folder, name);
      // A folder or a link of that name is not one of ours.
      if (!(await lstat(path).then((s) => s.isFile(), () => false))) continue;
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

/**
 * Whether a process of this id is running: signal 0 checks without sending anything. Only "no
 * such process" (ESRCH) counts as gone; "not allowed" (EPERM, another user's process) is alive,
 * and so is anything unexpected, so that a doubt never removes a file.
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

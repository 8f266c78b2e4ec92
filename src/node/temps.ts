/**
 * Temporary files being written now, kept in a module of their own so that the command line's
 * Ctrl-C handler can remove them without loading the readers at start-up.
 */
import { rmSync } from "node:fs";

/** Paths of temporary files `writeFilesAtomically` has made and not yet renamed or removed. */
export const pending = new Set<string>();

/** Removes the temporary files of writes in progress (on Ctrl-C), so an interrupted run leaves none. */
export function removePendingTemps(): void {
  for (const t of pending) rmSync(t, { force: true });
  pending.clear();
}

/**
 * File-system wrappers for the CLI and batch runner: read a score from a path, write outputs
 * atomically (a temporary file renamed into place, so a failure never leaves half a file),
 * and never overwrite an input.
 */
import { constants, type Stats } from "node:fs";
import { access, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";
import { TuttiError } from "../model/errors.js";
import type { Score } from "../model/score.js";
import type { ReadReport } from "../read/formats.js";
import { readScoreLoading } from "../read/load.js";
import { pending, tempPathFor } from "./temps.js";
import { READ_LIMITS, sizeText } from "../read/limits.js";

/**
 * Reads a score from a file (MusicXML, .mxl or MIDI); errors name the file.
 * @example (await readScoreFile("sketch.mid")).parts.length // 1
 */
export async function readScoreFile(path: string): Promise<Score> {
  return (await readScoreFileWithReport(path)).score;
}

/** Reads a score from a file, with what the reader had to decide (see `readScoreWithReport`). */
export async function readScoreFileWithReport(path: string): Promise<{ score: Score; report: ReadReport }> {
  let bytes: Uint8Array;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new TuttiError("UNREADABLE", "is a folder, not a score file", path);
    bytes = await readBounded(path, s.isFile() ? s.size : undefined);
  } catch (err) {
    if (err instanceof TuttiError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new TuttiError("FILE_NOT_FOUND", "no such file", path);
    if (code === "EACCES") throw new TuttiError("UNREADABLE", "permission denied", path);
    throw new TuttiError("UNREADABLE", (err as Error).message, path);
  }
  if (bytes.length === 0) throw new TuttiError("EMPTY_SCORE", "the file is empty", path);
  return readScoreLoading(bytes, path);
}

/**
 * The file's bytes, refused past `READ_LIMITS.maxFileBytes` before they are all read: a regular
 * file by its size, anything else (a pipe, /dev/zero) by counting as it is read.
 */
async function readBounded(path: string, size: number | undefined): Promise<Uint8Array> {
  const limit = READ_LIMITS.maxFileBytes;
  const tooLarge = (): TuttiError => new TuttiError("UNREADABLE", `the file is larger than ${sizeText(limit)}; refusing it`, path);
  if (size !== undefined && size > limit) throw tooLarge();
  if (size !== undefined) return readFile(path);
  const file = await open(path, "r");
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await file.read(Buffer.alloc(1 << 20), 0, 1 << 20, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge();
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await file.close();
  }
}

/** Writes all outputs or none: each goes to a temporary name first, then all are renamed. */
export async function writeFilesAtomically(files: readonly { path: string; data: Uint8Array }[], inputs: readonly string[] = []): Promise<void> {
  const inputSet = new Set(inputs.map((p) => resolve(p)));
  for (const f of files) {
    if (inputSet.has(resolve(f.path))) throw new TuttiError("WRITE_FAILED", "refusing to overwrite the input file", f.path);
  }
  const temps: string[] = [];
  let current = files[0]?.path;
  try {
    for (const f of files) {
      current = f.path;
      await mkdir(dirname(f.path), { recursive: true });
      const tmp = tempPathFor(f.path);
      temps.push(tmp);
      pending.add(tmp);
      await writeFile(tmp, f.data);
    }
    for (let i = 0; i < files.length; i++) {
      current = files[i]!.path;
      await rename(temps[i]!, files[i]!.path);
    }
    for (const t of temps) pending.delete(t);
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    for (const t of temps) pending.delete(t);
    if (err instanceof TuttiError) throw err;
    throw new TuttiError("WRITE_FAILED", `cannot write ${current ?? "the output"}: ${await writeProblem(err as NodeJS.ErrnoException)}`);
  }
}

/** A write error in words, naming the path in the way where there is one. */
async function writeProblem(err: NodeJS.ErrnoException): Promise<string> {
  switch (err.code) {
    case "EEXIST":
    case "ENOTDIR": {
      const inTheWay = err.path ? await firstExisting(err.path) : undefined;
      return inTheWay ? `${inTheWay.path} is a file, not a folder` : "a file is in the way of its folder";
    }
    case "EISDIR":
      return "a folder of that name is in the way";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "the disk is full";
    case "EROFS":
      return "the file system is read-only";
    default:
      return err.message;
  }
}

/** The path itself or its nearest ancestor that exists, with what it is. */
async function firstExisting(path: string): Promise<{ path: string; stats: Stats } | undefined> {
  for (let p = resolve(path); ; p = dirname(p)) {
    const stats = await stat(p).catch(() => undefined);
    if (stats) return { path: p, stats };
    if (dirname(p) === p) return undefined;
  }
}

/**
 * Checks, before any work, that an output folder can be made and written in: the folder, or its
 * nearest existing ancestor, must be a folder this process may write in. Nothing is created.
 * @throws TuttiError WRITE_FAILED naming the folder
 */
export async function checkOutputFolder(dir: string): Promise<void> {
  const found = await firstExisting(dir);
  if (found === undefined) return;
  const existing = found.path;
  if (!found.stats.isDirectory()) {
    throw new TuttiError("WRITE_FAILED", existing === resolve(dir) ? "the output folder is a file" : `cannot make the output folder: ${existing} is a file, not a folder`, dir);
  }
  if (!(await access(existing, constants.W_OK).then(() => true, () => false))) {
    throw new TuttiError("WRITE_FAILED", `cannot write in ${existing === resolve(dir) ? "the output folder" : existing} (permission denied)`, dir);
  }
}

/** "scores/sketch.musicxml" → "sketch". */
export function stemOf(path: string): string {
  return basename(path, extname(path));
}

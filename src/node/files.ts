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
import { detectFormat, readMusicXmlDecoded, type ReadReport } from "../read/formats.js";
import { decodeXml } from "../xml/decode.js";
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
  let bytes: Uint8Array | undefined;
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
  if (detectFormat(bytes, path) !== "musicxml") return readScoreLoading(bytes, path);
  // MusicXML: the bytes are let go once decoded, before the text is walked (a 10,000-measure
  // orchestral score's 150 MB of them would otherwise be held to the end of the reading).
  return readMusicXmlDecoded(() => {
    const text = decodeXml(bytes!);
    bytes = undefined;
    return text;
  }, path);
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

/**
 * Writes all outputs or none: each goes to a temporary name first, then all are renamed.
 * @example await writeFilesAtomically([{ path: "out/a.musicxml", data }], ["a.mid"])
 */
export async function writeFilesAtomically(files: readonly { path: string; data: Uint8Array }[], inputs: readonly string[] = []): Promise<void> {
  const out = new AtomicFiles(inputs);
  // Queued in order; `commit` waits for them and reports the first failure.
  for (const f of files) out.add(f.path, f.data);
  await out.commit();
}

/**
 * Outputs written all or none, each as soon as it is made: it goes to a temporary file at once,
 * so that it need not be kept in memory, and `commit` renames them all into place. A failing
 * write, or `abort` (the caller's own work failed), removes every temporary file; an input is
 * never overwritten. Writes are made one after another in the order given.
 * @example const out = new AtomicFiles(["in.mid"]); await out.add("out/a-1.svg", page); await out.commit()
 */
export class AtomicFiles {
  private readonly inputs: ReadonlySet<string>;
  /** The outputs and their temporary files, in the order given. */
  private readonly written: { readonly path: string; readonly temp: string }[] = [];
  /** The writes queued so far: resolves once they are made, or one has failed. */
  private queue: Promise<void> = Promise.resolve();
  private failed: { readonly error: TuttiError } | undefined;

  constructor(inputs: readonly string[] = []) {
    this.inputs = new Set(inputs.map((p) => resolve(p)));
  }

  /**
   * Writes an output to its temporary file, after the writes before it. Resolves when it is
   * written, or has failed: the failure is reported by `commit`, and no later write is made.
   */
  add(path: string, data: Uint8Array): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      try {
        if (this.inputs.has(resolve(path))) throw new TuttiError("WRITE_FAILED", "refusing to overwrite the input file", path);
        await makeFolder(dirname(path));
        const temp = tempPathFor(path);
        this.written.push({ path, temp });
        pending.add(temp);
        await writeFile(temp, data);
      } catch (err) {
        this.failed = { error: await writeError(err, path) };
      }
    });
    return this.queue;
  }

  /** Renames every output into place once all are written; on a failure, removes them all and throws it. */
  async commit(): Promise<void> {
    await this.queue;
    this.failed ??= await this.folderInTheWay();
    for (const w of this.written) {
      if (this.failed) break;
      try {
        await rename(w.temp, w.path);
      } catch (err) {
        this.failed = { error: await writeError(err, w.path) };
      }
    }
    if (this.failed) {
      await this.abort();
      throw this.failed.error;
    }
    for (const w of this.written) pending.delete(w.temp);
  }

  /**
   * A folder where an output goes, found before any output is renamed: a rename failing half-way
   * would leave some outputs new and the others as they were.
   */
  private async folderInTheWay(): Promise<{ readonly error: TuttiError } | undefined> {
    for (const w of this.written) {
      if ((await stat(w.path).catch(() => undefined))?.isDirectory()) return { error: new TuttiError("WRITE_FAILED", `cannot write ${w.path}: a folder of that name is in the way`) };
    }
    return undefined;
  }

  /** Removes the temporary files (those renamed already stay), once the writes queued are done. */
  async abort(): Promise<void> {
    await this.queue;
    await Promise.all(this.written.map((w) => rm(w.temp, { force: true })));
    for (const w of this.written) pending.delete(w.temp);
  }
}

/**
 * Makes a folder and the folders it lies in, one level at a time: Node's `mkdir` with `recursive`
 * never returns where the file system refuses a folder without saying why (under /proc it spins).
 * A folder made meanwhile by another write is fine.
 */
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let p = resolve(dir);
  let stats: Stats | undefined;
  while (!(stats = await stat(p).catch(() => undefined)) && dirname(p) !== p) {
    missing.push(p);
    p = dirname(p);
  }
  if (stats && !stats.isDirectory()) throw Object.assign(new Error(`${p} is not a folder`), { code: "ENOTDIR", path: p });
  for (const folder of missing.reverse()) {
    await mkdir(folder).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST") throw err;
    });
  }
}

/** A failure to write `path` as the error to report: ours as it is, the system's in words. */
async function writeError(err: unknown, path: string): Promise<TuttiError> {
  if (err instanceof TuttiError) return err;
  return new TuttiError("WRITE_FAILED", `cannot write ${path}: ${await writeProblem(err as NodeJS.ErrnoException)}`);
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
    case "ENOENT":
      return err.syscall === "mkdir" && err.path ? `the folder ${err.path} cannot be made there` : "no such file or folder";
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

/**
 * What a batch is made of: the score files named by files, folders (walked recursively) and glob
 * patterns, each with the path its outputs take under `--out`, so a folder's layout is kept.
 */
import { stat } from "node:fs/promises";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";

/**
 * tinyglobby, loaded for the first folder or pattern: a batch of files named one by one (the
 * commonest, `tutti arrange sketch.mid`) does without it.
 */
const globbing = (): Promise<typeof import("tinyglobby")> => import("tinyglobby");

/** The extensions Tutti reads. */
const SCORE_FILE = /\.(musicxml|xml|mxl|mid|midi)$/i;

export interface BatchInput {
  /** The file as the user will see it named. */
  readonly path: string;
  /** Where its outputs go, relative to `--out`, without extension: "sub/dir/stem". */
  readonly outputStem: string;
  /**
   * Its path relative to the folder or pattern that found it (a file named itself: its name),
   * with forward slashes: the same on every machine wherever the archive is mounted, so
   * `--shard` deals files by it.
   */
  readonly shardKey: string;
}

/** Why an input named no file: reported per input, and the batch goes on. */
export interface MissingInput {
  readonly path: string;
  readonly problem: string;
}

/**
 * Expands inputs in the order given; within a folder or glob, files are sorted by path.
 * A file given by name keeps its name (whatever its extension: the reader judges it); a folder
 * or glob contributes only score files. A file named twice is arranged once.
 *
 * `skip` is the output folder: a folder or glob does not take the files under it, so arranging
 * `sketches/` into `sketches/out/` twice does not arrange the first run's outputs.
 * @example expandInputs(["sketches/"]) // [{ path: "sketches/a.mid", outputStem: "a", shardKey: "a.mid" }, { path: "sketches/op1/b.musicxml", outputStem: "op1/b", shardKey: "op1/b.musicxml" }]
 */
export async function expandInputs(inputs: readonly string[], skip?: string): Promise<{ files: BatchInput[]; missing: MissingInput[] }> {
  const files: BatchInput[] = [];
  const missing: MissingInput[] = [];
  const seen = new Set<string>();
  const skipped = skip === undefined ? undefined : resolve(skip) + sep;
  const kept = (path: string): boolean => skipped === undefined || !resolve(path).startsWith(skipped);
  const add = (path: string, base: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const rel = relative(base, path);
    files.push({ path, outputStem: join(dirname(rel), basename(rel, extname(rel))), shardKey: rel.split(sep).join("/") });
  };
  for (const input of inputs) {
    const s = await stat(input).catch(() => undefined);
    if (s?.isDirectory()) {
      const { glob } = await globbing();
      const found = await glob("**/*", { cwd: input, onlyFiles: true, dot: false, followSymbolicLinks: false, expandDirectories: false });
      const scores = found.filter((f) => SCORE_FILE.test(f) && kept(join(input, f))).sort();
      if (scores.length === 0) missing.push({ path: input, problem: "the folder holds no MusicXML, .mxl or MIDI files" });
      for (const f of scores) add(join(input, f), input);
    } else if (s) {
      add(input, dirname(input));
    } else {
      const { glob, isDynamicPattern } = await globbing();
      if (!isDynamicPattern(input)) {
        missing.push({ path: input, problem: "no such file" });
        continue;
      }
      const found = (await glob(input, { onlyFiles: true, dot: false, expandDirectories: false })).filter((f) => SCORE_FILE.test(f) && kept(f)).sort();
      if (found.length === 0) missing.push({ path: input, problem: "the pattern matches no MusicXML, .mxl or MIDI files" });
      const base = staticBase(input, isDynamicPattern);
      for (const f of found) add(f, base);
    }
  }
  return { files, missing };
}

/** The folder part of a glob before its first wildcard (`isDynamicPattern`, tinyglobby's): "scores/**\/*.mid" → "scores". */
function staticBase(pattern: string, isDynamicPattern: (p: string) => boolean): string {
  const parts = pattern.split("/");
  const fixed: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (isDynamicPattern(p)) break;
    fixed.push(p);
  }
  return fixed.length === 0 ? "." : fixed.join("/") || "/";
}

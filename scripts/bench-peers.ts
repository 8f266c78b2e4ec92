/**
 * The benchmark's peers: Tutti's command line against MuseScore 3 and Verovio, each a process of
 * its own, timed from the outside (wall time, start-up included), with its peak RSS where GNU
 * `time` is installed.
 *
 * - Tutti `arrange` (MusicXML out) against MuseScore 3 merely re-saving the same sketch;
 * - Tutti `arrange -f musicxml,svg` against MuseScore 3 engraving the arranged score to SVG;
 * - Tutti `render` of the arranged score against Verovio (npm) engraving it to SVG, in Node.
 *
 * A peer that is not installed is skipped with a note; a run past its time limit counts as failed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Run {
  readonly seconds: number;
  /** Peak RSS in bytes (GNU time's maximum resident set size). */
  readonly rss?: number;
  readonly ok: boolean;
  readonly error?: string;
}

export const MSCORE = ["/usr/bin/mscore3", "/usr/bin/mscore", "/usr/bin/musescore3", "/usr/bin/musescore"].find((p) => existsSync(p));
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Whether the verovio package is installed. */
export function hasVerovio(root: string): boolean {
  try {
    createRequire(join(root, "package.json")).resolve("verovio");
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to its end (or its time limit), timing the wall clock around it. */
export function timed(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutSeconds: number }): Run {
  const stats = join(tmpdir(), `tutti-bench-time-${process.pid}.txt`);
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ["-f", "%M", "-o", stats, command, ...args]] : [command, [...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: "utf8", timeout: options.timeoutSeconds * 1000, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  let rss: number | undefined;
  if (GNU_TIME && existsSync(stats)) {
    const kib = Number(readFileSync(stats, "utf8").trim().split("\n").pop());
    if (Number.isFinite(kib) && kib > 0) rss = kib * 1024;
    rmSync(stats, { force: true });
  }
  const timedOut = r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
  const ok = !r.error && r.status === 0;
  const error = ok ? undefined : timedOut ? `timed out after ${options.timeoutSeconds} s` : (r.error?.message ?? `exit ${r.status}: ${lastLine(r.stderr || r.stdout)}`);
  return { seconds, ...(rss ? { rss } : {}), ok, ...(error ? { error } : {}) };
}

function lastLine(s: string): string {
  return (s ?? "").trim().split("\n").filter(Boolean).pop()?.slice(0, 200) ?? "";
}

/** A fresh, empty folder. */
export function fresh(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** SVG files a run left in a folder. */
export function svgCount(dir: string): number {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".svg")).length : 0;
}

/** MuseScore 3 without a display, as on a server. */
export const MSCORE_ENV: NodeJS.ProcessEnv = { QT_QPA_PLATFORM: "offscreen", XDG_RUNTIME_DIR: tmpdir() };

/**
 * Verovio engraving a MusicXML file to SVG pages, in Node: what a web page or a server using it
 * would run. Its default options (page size, scale); every page rendered and written.
 */
export const VEROVIO_SCRIPT = `
import { readFileSync, writeFileSync } from "node:fs";
import createVerovioModule from "verovio/wasm";
import { VerovioToolkit } from "verovio/esm";
const [input, out] = process.argv.slice(-2);
const tk = new VerovioToolkit(await createVerovioModule());
if (!tk.loadData(readFileSync(input, "utf8"))) { console.error("verovio could not load " + input); process.exit(1); }
const pages = tk.getPageCount();
for (let p = 1; p <= pages; p++) writeFileSync(out + "-" + p + ".svg", tk.renderToSVG(p));
`;

/**
 * `npm run bench`: how fast Tutti is, how its cost grows with the length of a score, and how it
 * compares with MuseScore 3 and Verovio. Three sections, each case in a process of its own (so
 * its peak RSS is its own, not the sum of the cases before it):
 *
 * - **goals**: the speed and memory goals of single stages (read, write, analyse, arrange,
 *   render) on corpus pieces, PASS/FAIL. A case passes when its median meets its time goal and
 *   its peak RSS stays under 1 GiB. The goals are two to three times the medians measured on two
 *   cores, quiet and busy (see README, "Benchmark"): a busy CI machine passes, a regression does not.
 * - **scale**: piano sketches of 100, 1,000 and 10,000 measures, made of the corpus's quartet
 *   movements reduced to piano and appended (`test/support/bench-sketch.ts`, checked against the
 *   MusicXML XSD), through every stage for symphony-orchestra: read, analyse, orchestrate, write
 *   MusicXML, render SVG, and the whole; seconds, notes per second, the heap in use after each
 *   stage (after a GC: what the stages keep), peak RSS, and how the cost per measure grows from
 *   size to size (1.0 is linear; above 1.5 from 1,000 measures up fails: orchestration once grew
 *   2.6× from 1,000 to 10,000 measures, unnoticed for days).
 * - **peers**: the Beethoven op. 18/1 and Mozart K. 458 first movements reduced to piano, and the
 *   scale sketches, through Tutti's command line (wall time, Node's start-up included) beside
 *   MuseScore 3 re-saving the sketch and engraving the arranged score to SVG, and Verovio
 *   engraving it to SVG; ratios Tutti / peer, median of the runs, and peak RSS. For the must-show
 *   sketches, the memory by stage too: the heap each stage leaves in use, in a process of its own. The must-show (both first
 *   movements): `arrange` faster than MuseScore's re-save, and `arrange -f musicxml,svg` faster
 *   than MuseScore's SVG, both ratios below 1.0. A peer not installed is skipped with a note.
 *
 *   npx tsx scripts/bench.ts [--quick] [--only goals,scale,peers,<case id>…] [--reps N] [--runs N]
 *                            [--sizes 100,1000,10000] [--scale-peers 100,1000|none] [--all-movements]
 *                            [--no-render] [--peer-timeout S] [--json out/bench.json]
 *
 * `--quick`: scale at 100 and 1,000 measures once each, the must-show peers once, no goals
 * (three or four minutes). The full run takes about half an hour on two cores, most of it the
 * 10,000-measure sketch and MuseScore. Reads ../shared/corpus when present, else
 * fixtures/corpus. The command line runs from dist/: build first (`npm run build`). The JSON
 * (all runs, not only medians) goes to out/bench.json. Exit code 1 if a goal or the must-show fails.
 */
import { fork } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyse } from "../src/analyse/index.js";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { ensemble } from "../src/instruments/index.js";
import { buildMeasures, type MeasureFrame, type PlacedEvent } from "../src/model/build.js";
import { frac } from "../src/model/fraction.js";
import { pitch, type Step } from "../src/model/pitch.js";
import type { Score, TimeSignature } from "../src/model/score.js";
import { loadDatabase } from "../src/node/instruments.js";
import { renderScoreSvg, setupNodeRendering } from "../src/node/render.js";
import { readScore } from "../src/read/index.js";
import { unpackMxl } from "../src/read/mxl.js";
import { arrange } from "../src/orchestrate/index.js";
import { writeScore } from "../src/write/index.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { fresh, hasVerovio, MSCORE, MSCORE_ENV, type Run, svgCount, timed, VEROVIO_SCRIPT } from "./bench-peers.js";
import { makeScaleSketches, runScale, type ScaleResult, type ScaleSketch, type Stage, STAGES } from "./bench-scale.js";
import { notesOf } from "../test/support/bench-sketch.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = join(ROOT, "out/bench/");
const SHARED = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const LOCAL = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const CORPUS = existsSync(SHARED) ? SHARED : LOCAL;
const MiB = 1024 * 1024;
/** Peak RSS goal for every case. */
const RSS_GOAL = 1024 * MiB;

// ---------------------------------------------------------------- inputs

function bytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** The largest file of a corpus folder with one of the extensions. */
function largest(folder: string, ext: RegExp): string {
  const dir = `${CORPUS}${folder}/`;
  const files = readdirSync(dir).filter((f) => ext.test(f));
  const [best] = files.sort((a, b) => statSync(dir + b).size - statSync(dir + a).size || a.localeCompare(b));
  if (!best) throw new Error(`no ${ext} file in ${dir}`);
  return dir + best;
}

const nameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
const kB = (n: number): string => (n >= MiB ? `${(n / MiB).toFixed(1)} MB` : `${Math.round(n / 1024)} kB`);
const measuresOf = (s: Score): number => s.parts[0]?.measures.length ?? 0;
const stavesOf = (s: Score): number => s.parts.reduce((sum, p) => sum + p.staves, 0);
const shape = (s: Score): string => `${measuresOf(s)} m. × ${stavesOf(s)} staves`;

/** The largest quartet movement: about 2 MB of MusicXML in a 53 kB .mxl. */
const QUARTET = (): string => largest("quartets", /\.mxl$/);
/** A shorter quartet movement for the renderer. */
const QUARTET_TO_RENDER = (): string => `${CORPUS}quartets/haydn-op74no1-mvt2.mxl`;
const K545 = (): string => `${CORPUS}piano/mozart-k545-mvt1-exposition.mxl`;

const readFile = (path: string): Score => readScore(bytes(path), nameOf(path));

const TIME_44: TimeSignature = { kind: "measured", signatures: [{ beats: "4", beatType: 4 }] };
const SCALE: readonly Step[] = ["C", "D", "E", "F", "G", "A", "B"];

/**
 * A synthetic piano piece of `count` measures in 4/4: eighth-note scales in the right hand
 * (a two-octave wave), quarter-note triads in the left, so every measure has 8 + 4 events and
 * the beams, chords and rests of a real piece.
 */
function syntheticScore(count: number): Score {
  const frames: MeasureFrame[] = [];
  for (let i = 0; i < count; i++) {
    frames.push({
      number: String(i + 1),
      start: frac(i),
      duration: frac(1),
      attributes:
        i === 0
          ? {
              key: { kind: "traditional", fifths: 0 },
              time: TIME_44,
              staves: 2,
              clefs: [
                { staff: 1, clef: { sign: "G", line: 2 } },
                { staff: 2, clef: { sign: "F", line: 4 } },
              ],
            }
          : {},
    });
  }
  const events: PlacedEvent[] = [];
  for (let m = 0; m < count; m++) {
    for (let e = 0; e < 8; e++) {
      const degree = (m * 8 + e) % 28; // up two octaves and back
      const d = degree < 14 ? degree : 28 - degree;
      events.push({ onset: frac(m * 8 + e, 8), duration: frac(1, 8), pitches: [pitch(SCALE[d % 7]!, 0, 4 + Math.floor(d / 7))], voice: "1", staff: 1 });
    }
    for (let q = 0; q < 4; q++) {
      const root = (m + q) % 7;
      const chord = [0, 2, 4].map((k) => pitch(SCALE[(root + k) % 7]!, 0, root + k >= 7 ? 3 : 2));
      events.push({ onset: frac(m * 4 + q, 4), duration: frac(1, 4), pitches: chord, voice: "5", staff: 2 });
    }
  }
  return {
    meta: { title: `Synthetic, ${count} measures`, creators: [{ type: "composer", name: "Tutti bench" }], rights: [] },
    parts: [{ id: "P1", name: "Piano", instruments: [{ id: "P1-I1", name: "Piano", sound: "keyboard.piano", midiProgram: 1 }], staves: 2, measures: buildMeasures(frames, events) }],
    groups: [],
  };
}

const SYNTHETIC_MEASURES = 2000;

// ---------------------------------------------------------------- cases

interface Case {
  readonly id: string;
  /** What is measured, with its size. */
  readonly label: (detail: string) => string;
  readonly goalMs: number;
  /** Peak RSS goal when not `RSS_GOAL`. */
  readonly rssGoal?: number;
  readonly reps: number;
  /** Prepares the inputs (not timed) and returns the work to time and a note on the input's size. */
  readonly setup: () => Promise<{ run: () => unknown; detail: string }>;
}

const CASES: readonly Case[] = [
  {
    id: "read-xml",
    label: (d) => `read MusicXML, largest quartet (${d})`,
    goalMs: 2000, // measured 0.66–0.98 s
    reps: 5,
    setup: async () => {
      const path = QUARTET();
      const data = bytes(path);
      return { run: () => readScore(data, nameOf(path)), detail: `${nameOf(path)}, ${kB(unpackMxl(data).length)} XML` };
    },
  },
  {
    id: "read-synthetic",
    label: (d) => `read MusicXML, synthetic (${d})`,
    goalMs: 6000, // measured 2.0–3.8 s
    reps: 5,
    setup: async () => {
      const xml = new TextEncoder().encode(writeMusicXml(syntheticScore(SYNTHETIC_MEASURES)));
      return { run: () => readScore(xml, "synthetic.musicxml"), detail: `${SYNTHETIC_MEASURES} m. × 2 staves, ${kB(xml.length)}` };
    },
  },
  {
    id: "read-orchestral",
    label: (d) => `read MusicXML, symphony-orchestra arrangement (${d})`,
    goalMs: 3000, // measured 0.84–1.8 s on a busy machine (2.4–2.8 s before the streaming reader)
    // Measured 232 MiB here, tsx's loader taking about 105 MiB of it; one read alone 176 MiB
    // (260 MiB before the streaming reader, 600 MiB over five reads). Issue 19 asks a 9.6 MB
    // arrangement to read in 200 MiB through the command line.
    rssGoal: 256 * MiB,
    reps: 5,
    setup: async () => {
      const path = await orchestralFile();
      const data = bytes(path);
      return { run: () => readScore(data, nameOf(path)), detail: `${nameOf(path)}, ${kB(data.length)}` };
    },
  },
  {
    id: "build-synthetic",
    label: (d) => `buildMeasures, synthetic (${d})`,
    goalMs: 1000, // measured 0.17–0.37 s since buildMeasures is linear (was 5–13 s)
    reps: 3,
    setup: async () => ({ run: () => syntheticScore(SYNTHETIC_MEASURES), detail: `${SYNTHETIC_MEASURES} m. × 2 staves, ${SYNTHETIC_MEASURES * 12} events` }),
  },
  {
    id: "write-xml",
    label: (d) => `write MusicXML, largest quartet (${d})`,
    goalMs: 1000, // measured 0.13–0.19 s (0.54–0.70 s before the streamed writer)
    reps: 5,
    setup: async () => {
      const score = readFile(QUARTET());
      return { run: () => writeMusicXml(score), detail: shape(score) };
    },
  },
  {
    id: "write-xml-synthetic",
    label: (d) => `write MusicXML, synthetic (${d})`,
    goalMs: 3000, // measured 0.57–0.91 s (2.0–2.5 s before the streamed writer)
    reps: 5,
    setup: async () => {
      const score = syntheticScore(SYNTHETIC_MEASURES);
      return { run: () => writeMusicXml(score), detail: shape(score) };
    },
  },
  {
    id: "write-midi",
    label: (d) => `write MIDI, largest quartet (${d})`,
    goalMs: 600, // measured 0.17–0.21 s
    reps: 5,
    setup: async () => {
      const score = readFile(QUARTET());
      return { run: () => writeScore(score, "midi"), detail: shape(score) };
    },
  },
  {
    id: "read-midi",
    label: (d) => `read MIDI, largest file (${d})`,
    goalMs: 5000, // measured 1.3–1.9 s
    reps: 5,
    setup: async () => {
      const path = largest("midi", /\.midi?$/);
      const data = bytes(path);
      return { run: () => readScore(data, nameOf(path)), detail: `${nameOf(path)}, ${kB(data.length)}` };
    },
  },
  {
    id: "analyse-k545",
    label: (d) => `analyse K. 545 (${d})`,
    goalMs: 100, // measured 0.013–0.020 s
    reps: 5,
    setup: async () => {
      const score = readFile(K545());
      return { run: () => analyse(score), detail: shape(score) };
    },
  },
  {
    id: "analyse-quartet",
    label: (d) => `analyse reduced quartet (${d})`,
    goalMs: 2000, // measured 0.45–0.67 s
    reps: 3,
    setup: async () => {
      const path = QUARTET();
      const { sketch } = reduceToPiano(readFile(path));
      return { run: () => analyse(sketch), detail: `${nameOf(path)}, ${shape(sketch)}` };
    },
  },
  {
    id: "arrange-quartet",
    label: (d) => `arrange K. 545 for string-quartet (${d})`,
    goalMs: 500, // measured 0.047 s
    reps: 3,
    setup: async () => {
      const db = await loadDatabase();
      const sketch = readFile(K545());
      const target = ensemble(db, "string-quartet");
      return { run: () => arrange(sketch, target, db), detail: `${measuresOf(sketch)} m. → ${target.instruments.length} parts` };
    },
  },
  {
    id: "arrange-orchestra",
    label: (d) => `arrange K. 545 for symphony-orchestra (${d})`,
    goalMs: 1000, // measured 0.08–0.13 s
    reps: 3,
    setup: async () => {
      const db = await loadDatabase();
      const sketch = readFile(K545());
      const target = ensemble(db, "symphony-orchestra");
      return { run: () => arrange(sketch, target, db), detail: `${measuresOf(sketch)} m. → ${target.instruments.length} parts` };
    },
  },
  {
    id: "arrange-large",
    label: (d) => `arrange reduced quartet for symphony-orchestra (${d})`,
    goalMs: 3000, // measured 0.79–0.83 s (3.5–4.9 s before issue 10)
    reps: 3,
    setup: async () => {
      const db = await loadDatabase();
      const path = QUARTET();
      const { sketch } = reduceToPiano(readFile(path));
      const target = ensemble(db, "symphony-orchestra");
      return { run: () => arrange(sketch, target, db), detail: `${nameOf(path)}, ${measuresOf(sketch)} m. → ${target.instruments.length} parts` };
    },
  },
  {
    id: "render-quartet",
    label: (d) => `render SVG, quartet movement (${d})`,
    goalMs: 2000, // measured 0.59–0.62 s (0.95–1.23 s before issue 10)
    reps: 3,
    setup: async () => {
      const path = QUARTET_TO_RENDER();
      const score = readFile(path);
      setupNodeRendering(); // fonts and canvas once per process, as the CLI does
      const pages = renderScoreSvg(score).length;
      return { run: () => renderScoreSvg(score), detail: `${nameOf(path)}, ${shape(score)}, ${pages} pages` };
    },
  },
];

/**
 * The largest quartet movement reduced to piano and arranged for symphony-orchestra, as MusicXML
 * in out/bench/ (made once, in a child of its own, so that the case's peak RSS is the reader's).
 */
async function orchestralFile(): Promise<string> {
  const path = join(OUT, `${nameOf(QUARTET()).replace(/\.mxl$/, "")}-symphony-orchestra.musicxml`);
  if (!existsSync(path)) await inChild<string>(["--make-orchestral", path]);
  return path;
}

/** In a child: writes `orchestralFile`'s arrangement to `path`. */
async function makeOrchestral(path: string): Promise<string> {
  const db = await loadDatabase();
  const { sketch } = reduceToPiano(readFile(QUARTET()));
  const [best] = arrange(sketch, ensemble(db, "symphony-orchestra"), db);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path, writeMusicXml(best!.score));
  return path;
}

// ---------------------------------------------------------------- running the goals

interface Result {
  readonly id: string;
  readonly detail: string;
  readonly times: readonly number[];
  readonly heap: number;
  readonly rss: number;
}

/** In a child: prepares one case, times its repetitions, reports to the parent. */
async function runCase(c: Case, reps: number): Promise<Result> {
  const { run, detail } = await c.setup();
  const times: number[] = [];
  let heap = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < reps; i++) {
    // A case with a memory goal measures one run's peak, not the garbage of the runs before it.
    if (c.rssGoal) gc?.();
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }
  return { id: c.id, detail, times, heap, rss: process.resourceUsage().maxRSS * 1024 };
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs this script in a fresh process with `args` (inheriting tsx's loader through execArgv); resolves with what it sends. */
function inChild<T>(args: readonly string[], execArgv: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [...args], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [...process.execArgv, ...execArgv] });
    let result: T | undefined;
    child.on("message", (m) => (result = m as T));
    child.on("error", reject);
    child.on("exit", (code, signal) => (result !== undefined && code === 0 ? resolve(result) : reject(new Error(`child exited with ${signal ?? `code ${code}`}`))));
  });
}

// ---------------------------------------------------------------- the parent

interface Report {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  corpus: string;
  goals: { id: string; label: string; seconds: number[]; goal: number; peakRss: number; heap: number; pass: boolean; error?: string }[];
  scale: { sketch: ScaleSketch; result?: ScaleResult; error?: string; growth?: Partial<Record<Stage | "whole", number>> }[];
  peers: PeerReport[];
  notes: string[];
}

interface PeerReport {
  piece: string;
  sketch: string;
  measures: number;
  notes: number;
  mustShow: boolean;
  /** The pipeline's stages over the sketch in one process (no rendering): heap after each, peak RSS. */
  stages?: ScaleResult;
  runs: Partial<Record<PeerRun, Run[]>>;
  skipped: string[];
  /** SVG pages each engraver made of the arranged score. */
  pages?: { tutti: number; mscore: number; verovio: number };
}

const PEER_RUNS = ["tutti-arrange", "mscore-resave", "tutti-arrange-svg", "mscore-svg", "tutti-render", "verovio-svg"] as const;
type PeerRun = (typeof PEER_RUNS)[number];

/** The comparisons reported: Tutti's run over the peer's. */
const RATIOS: readonly { tutti: PeerRun; peer: PeerRun; label: string; mustShow: boolean }[] = [
  { tutti: "tutti-arrange", peer: "mscore-resave", label: "arrange vs MuseScore 3 re-saving the sketch", mustShow: true },
  { tutti: "tutti-arrange-svg", peer: "mscore-svg", label: "arrange + SVG vs MuseScore 3 engraving the arranged score", mustShow: true },
  { tutti: "tutti-render", peer: "verovio-svg", label: "render the arranged score vs Verovio engraving it", mustShow: false },
];

async function parent(): Promise<void> {
  const quick = flag("--quick");
  const only = option("--only")?.split(",").map((s) => s.trim());
  const wants = (section: string, id?: string): boolean => !only || only.includes(section) || (id !== undefined && only.includes(id));
  const reps = option("--reps");
  const sizes = (option("--sizes") ?? (quick ? "100,1000" : "100,1000,10000")).split(",").map(Number);
  const scalePeers = (option("--scale-peers") ?? (quick ? "none" : "100,1000")).split(",").filter((s) => s !== "none").map(Number);
  const runs = Number(option("--runs") ?? (quick ? 1 : 3));
  const timeout = Number(option("--peer-timeout") ?? 900);
  const render = !flag("--no-render");
  const jsonPath = option("--json") ?? join(ROOT, "out/bench.json");
  const report: Report = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "?",
    cores: availableParallelism(),
    corpus: CORPUS === SHARED ? "../shared/corpus" : "fixtures/corpus",
    goals: [],
    scale: [],
    peers: [],
    notes: [],
  };
  console.log(`Tutti benchmark: ${report.corpus}, Node ${process.version}, ${report.cores} cores (${report.cpu})\n`);
  let failed = false;

  // ---- goals
  const chosen = CASES.filter((c) => (!only && !quick) || only?.includes("goals") || only?.includes(c.id));
  if (chosen.length) {
    const rows: string[][] = [];
    for (const c of chosen) {
      process.stderr.write(`${c.id}…\n`);
      try {
        const r = await inChild<Result>(["--case", c.id, "--reps", String(reps ? Number(reps) : c.reps)], ["--expose-gc"]);
        const med = median(r.times);
        const pass = med < c.goalMs && r.rss < (c.rssGoal ?? RSS_GOAL);
        if (!pass) failed = true;
        report.goals.push({ id: c.id, label: c.label(r.detail), seconds: r.times.map((t) => t / 1000), goal: c.goalMs / 1000, peakRss: r.rss, heap: r.heap, pass });
        rows.push([c.label(r.detail), seconds(med), seconds(Math.min(...r.times)), `< ${c.goalMs / 1000} s${c.rssGoal ? `, < ${c.rssGoal / MiB} MiB` : ""}`, mib(r.rss), mib(r.heap), pass ? "PASS" : "FAIL"]);
      } catch (err) {
        failed = true;
        const error = err instanceof Error ? err.message : String(err);
        report.goals.push({ id: c.id, label: c.label("?"), seconds: [], goal: c.goalMs / 1000, peakRss: 0, heap: 0, pass: false, error });
        rows.push([c.label("?"), "—", "—", `< ${c.goalMs / 1000} s`, "—", "—", `FAIL (${error})`]);
      }
    }
    console.log("Goals");
    printTable([["case", "median", "min", "goal", "peak RSS", "heap", ""], ...rows]);
    console.log(`Goals: the median under the time goal, and peak RSS < ${RSS_GOAL / MiB} MiB for every case (or the case's own goal).\n`);
  }

  // ---- scale
  const scaleSizes = sizes.filter((n) => wants("scale", `scale-${n}`));
  const sketches: ScaleSketch[] = [];
  if (scaleSizes.length || scalePeers.some((n) => wants("peers", `peers-${n}`))) {
    process.stderr.write(`making sketches of ${[...new Set([...scaleSizes, ...scalePeers])].join(", ")} measures…\n`);
    const validate = await xsdValidator();
    sketches.push(...makeScaleSketches(CORPUS, join(OUT, "sketches/"), [...new Set([...scaleSizes, ...scalePeers])].sort((a, b) => a - b), validate));
    for (const s of sketches) if (s.xsdErrors?.length) report.notes.push(`sketch-${s.measures} is not valid MusicXML: ${s.xsdErrors[0]}`);
  }
  for (const n of scaleSizes) {
    const sketch = sketches.find((s) => s.measures === n)!;
    const r = reps ? Number(reps) : quick || n >= 10000 ? 1 : n >= 1000 ? 2 : 3;
    process.stderr.write(`scale-${n}: ${sketch.notes} notes, ${r} run(s)…\n`);
    try {
      const result = await inChild<ScaleResult>(["--scale-child", JSON.stringify(sketch), "--reps", String(r), ...(render ? [] : ["--no-render"])], ["--expose-gc"]);
      report.scale.push({ sketch, result });
    } catch (err) {
      failed = true;
      report.scale.push({ sketch, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (report.scale.length) failed = printScale(report) || failed;

  // ---- peers
  const pieces = mustShowPieces(flag("--all-movements"));
  const peerSketches: { piece: string; path: string; measures: number; notes: number; mustShow: boolean }[] = [];
  for (const p of pieces) {
    if (!wants("peers", `peers-${p.id}`)) continue;
    if (!existsSync(p.path)) {
      report.notes.push(`${p.id}: not in the corpus, skipped`);
      continue;
    }
    const { sketch } = reduceToPiano(readScore(new Uint8Array(readFileSync(p.path)), `${p.id}.mxl`));
    const path = join(OUT, "sketches", `${p.id}.musicxml`);
    mkdirSync(join(OUT, "sketches"), { recursive: true });
    writeFileSync(path, writeMusicXml(sketch));
    peerSketches.push({ piece: p.id, path, measures: sketch.parts[0]!.measures.length, notes: notesOf(sketch), mustShow: p.mustShow });
  }
  for (const n of scalePeers) {
    const s = sketches.find((k) => k.measures === n);
    if (s && wants("peers", `peers-${n}`)) peerSketches.push({ piece: `sketch-${n}`, path: s.path, measures: n, notes: s.notes, mustShow: false });
  }
  const stale = peerSketches.length ? staleDist() : undefined;
  if (stale) {
    report.notes.push(stale);
    console.log(`Note: ${stale}\n`);
  }
  for (const ps of peerSketches) {
    process.stderr.write(`peers: ${ps.piece}, ${runs} run(s)…\n`);
    const peer = runPeers(ps, runs, timeout);
    if (ps.mustShow) {
      // The memory of each stage, in a child of its own (the command line's runs give only the peak).
      const sketch: ScaleSketch = { measures: ps.measures, notes: ps.notes, path: ps.path, bytes: statSync(ps.path).size, json: "", from: ps.piece };
      peer.stages = await inChild<ScaleResult>(["--scale-child", JSON.stringify(sketch), "--reps", "1", "--no-render"], ["--expose-gc"]).catch((err: unknown) => {
        report.notes.push(`${ps.piece}: the stages in one process failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      });
    }
    report.peers.push(peer);
  }
  if (report.peers.length) failed = printPeers(report) || failed;
  printStageMemory(report);

  for (const n of report.notes) console.log(`Note: ${n}`);
  mkdirSync(join(jsonPath, ".."), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify(report, null, 1) + "\n");
  console.log(`\nAll runs in ${jsonPath}.`);
  console.log(failed ? "Some goals failed." : "All goals met.");
  process.exitCode = failed ? 1 : 0;
}

/** The quartet movements of the must-show: the first movements, or all with `--all-movements`. */
function mustShowPieces(all: boolean): { id: string; path: string; mustShow: boolean }[] {
  const dir = `${CORPUS}quartets/`;
  const first = ["beethoven-op18no1-mvt1", "mozart-k458-mvt1"];
  const ids = all && existsSync(dir) ? readdirSync(dir).filter((f) => /^(beethoven-op18no1|mozart-k458)-mvt\d\.mxl$/.test(f)).map((f) => f.replace(/\.mxl$/, "")).sort() : first;
  return ids.map((id) => ({ id, path: `${dir}${id}.mxl`, mustShow: first.includes(id) }));
}

/** The MusicXML XSD check of the test suite, if libxml2-wasm is installed. */
async function xsdValidator(): Promise<((xml: string) => string[]) | undefined> {
  try {
    const { xsdErrors } = await import("../test/support/xsd.js");
    return xsdErrors;
  } catch {
    return undefined;
  }
}

/** A note when dist/ is older than the sources the command line is compiled from. */
function staleDist(): string | undefined {
  const main = join(ROOT, "dist/cli/main.js");
  if (!existsSync(main)) return "dist/ is missing: the command line cannot run (npm run build)";
  const built = statSync(main).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  return newest(join(ROOT, "src")) > built ? "src/ is newer than dist/: the command line runs the last build (npm run build)" : undefined;
}

/** The command-line runs of one sketch and its peers', `runs` times each, alternating. */
function runPeers(ps: { piece: string; path: string; measures: number; notes: number; mustShow: boolean }, runs: number, timeout: number): PeerReport {
  const out: PeerReport = { piece: ps.piece, sketch: ps.path, measures: ps.measures, notes: ps.notes, mustShow: ps.mustShow, runs: {}, skipped: [] };
  const dir = join(OUT, "peers", ps.piece);
  const tutti = join(ROOT, "bin/tutti.js");
  const arranged = join(dir, "arranged", `${ps.piece}.musicxml`);
  const add = (name: PeerRun, run: Run): void => {
    (out.runs[name] ??= []).push(run);
  };
  const verovio = hasVerovio(ROOT);
  if (!MSCORE) out.skipped.push("MuseScore 3 is not installed (Debian: apt-get install musescore3)");
  if (!verovio) out.skipped.push("Verovio is not installed (npm install -D verovio)");
  for (let r = 0; r < runs; r++) {
    // Tutti's whole arrange, then MuseScore re-saving the same sketch.
    add("tutti-arrange", timed("node", [tutti, "arrange", ps.path, "-e", "symphony-orchestra", "-o", fresh(join(dir, "arranged")), "-q"], { cwd: ROOT, timeoutSeconds: timeout }));
    if (MSCORE) add("mscore-resave", timed(MSCORE, ["-o", join(fresh(join(dir, "mscore-resave")), "resaved.musicxml"), ps.path], { cwd: ROOT, env: MSCORE_ENV, timeoutSeconds: timeout }));
    // Arrange with SVG pages, then MuseScore engraving the arranged score.
    add("tutti-arrange-svg", timed("node", [tutti, "arrange", ps.path, "-e", "symphony-orchestra", "-f", "musicxml,svg", "-o", fresh(join(dir, "arranged-svg")), "-q"], { cwd: ROOT, timeoutSeconds: timeout }));
    if (!existsSync(arranged)) continue;
    if (MSCORE) add("mscore-svg", timed(MSCORE, ["-o", join(fresh(join(dir, "mscore-svg")), "page.svg"), arranged], { cwd: ROOT, env: MSCORE_ENV, timeoutSeconds: timeout }));
    // Engraving alone: Tutti's render against Verovio, both in Node.
    add("tutti-render", timed("node", [tutti, "render", arranged, "--out", fresh(join(dir, "tutti-render"))], { cwd: ROOT, timeoutSeconds: timeout }));
    if (verovio) add("verovio-svg", timed("node", ["--input-type=module", "-e", VEROVIO_SCRIPT, arranged, join(fresh(join(dir, "verovio")), "page")], { cwd: ROOT, timeoutSeconds: timeout }));
  }
  out.pages = { tutti: svgCount(join(dir, "arranged-svg")), mscore: svgCount(join(dir, "mscore-svg")), verovio: svgCount(join(dir, "verovio")) };
  return out;
}

// ---------------------------------------------------------------- tables

/**
 * Prints the scale table; true if a stage's cost per measure grows more than `GROWTH_GOAL` times
 * from one size to the next, from 1,000 measures up (below that, fixed costs hide the growth).
 */
function printScale(report: Report): boolean {
  const done = report.scale.filter((s) => s.result);
  // Cost per measure against the size before: 1.0 is linear.
  for (let i = 1; i < done.length; i++) {
    const a = done[i - 1]!.result!;
    const b = done[i]!.result!;
    const growth: Partial<Record<Stage | "whole", number>> = {};
    for (const st of [...STAGES, "whole"] as const) {
      const ta = median(a.seconds[st]);
      const tb = median(b.seconds[st]);
      if (ta > 0 && tb > 0) growth[st] = tb / b.measures / (ta / a.measures);
    }
    done[i]!.growth = growth;
  }
  const header = ["stage", ...report.scale.map((s) => `${s.sketch.measures.toLocaleString("en")} m. (${s.sketch.notes.toLocaleString("en")} notes)`), ...done.slice(1).map((s, i) => `per m. ×${(s.sketch.measures / done[i]!.sketch.measures).toFixed(0)}`)];
  const labels: Record<Stage | "whole", string> = { read: "read MusicXML", analyse: "analyse", orchestrate: "orchestrate", write: "write MusicXML", render: "render SVG", whole: "whole" };
  const rows: string[][] = [];
  for (const st of [...STAGES, "whole"] as const) {
    const cells = report.scale.map((s) => {
      if (!s.result) return s.error ? "failed" : "—";
      const t = median(s.result.seconds[st]);
      if (Number.isNaN(t)) return s.result.notes_?.[st as Stage] ? "refused" : "—";
      return `${seconds(t * 1000)}, ${Math.round(s.result.notes / t).toLocaleString("en")} n/s`;
    });
    const growth = done.slice(1).map((s) => {
      const g = s.growth?.[st];
      return g === undefined ? "—" : `${g.toFixed(2)}${g > 1.5 ? " (!)" : ""}`;
    });
    rows.push([labels[st], ...cells, ...growth]);
  }
  rows.push(["heap, loaded", ...report.scale.map((s) => (s.result ? mib(s.result.heapBefore, 1) : "—")), ...done.slice(1).map(() => "")]);
  for (const st of STAGES) {
    const heap = (s: (typeof report.scale)[number]): string => (s.result && s.result.seconds[st].length ? mib(s.result.heapAfter[st], 1) : "—");
    rows.push([`heap after ${st}`, ...report.scale.map(heap), ...done.slice(1).map(() => "")]);
  }
  rows.push(["peak RSS", ...report.scale.map((s) => (s.result ? mib(s.result.peakRss) : "—")), ...done.slice(1).map(() => "")]);
  rows.push(["output", ...report.scale.map((s) => (s.result ? `${s.result.parts} parts, ${mb(s.result.outputBytes)}, ${s.result.pages} pages` : "—")), ...done.slice(1).map(() => "")]);
  console.log("Scale: piano sketches arranged for symphony-orchestra (median seconds, sketch notes per second)");
  printTable([header, ...rows]);
  for (const s of report.scale) {
    console.log(`  ${s.sketch.measures} m.: ${mb(s.sketch.bytes)} MusicXML${s.sketch.xsdErrors ? (s.sketch.xsdErrors.length ? ", NOT valid" : ", valid (XSD)") : ""}, from ${s.sketch.from}`);
    for (const [st, why] of Object.entries(s.result?.notes_ ?? {})) console.log(`    ${st}: ${why} (later stages ran on the same score, loaded from JSON)`);
    if (s.error) console.log(`    failed: ${s.error}`);
  }
  console.log("  'whole' is the stages' sum in one process (no Node start-up); 'per m.' is the cost per measure against the size before it (1.00 = linear, (!) above 1.5).");
  console.log("  'heap' is the heap in use before the first stage and after each, after a GC (what the stages keep, with tsx's loader); peak RSS includes Node, tsx and all garbage.");
  const steps = done.slice(1).flatMap((s, i) => (done[i]!.sketch.measures >= 1000 ? [{ from: done[i]!.sketch.measures, to: s.sketch.measures, growth: s.growth ?? {} }] : []));
  const steep = steps.flatMap(({ from, to, growth }) => Object.entries(growth).flatMap(([st, g]) => (g > GROWTH_GOAL ? [`${st} ${g.toFixed(2)}× per measure from ${from} to ${to} m.`] : [])));
  if (steps.length === 0) console.log(`  (the growth goal, at most ${GROWTH_GOAL}× per measure, needs two sizes of 1,000 measures and more)\n`);
  else console.log(steep.length ? `  FAIL: grows faster than the score: ${steep.join("; ")} (goal: at most ${GROWTH_GOAL}×)\n` : `  PASS: every stage at most ${GROWTH_GOAL}× per measure from 1,000 measures up\n`);
  return steep.length > 0;
}

/** The most a stage's cost per measure may grow from one size to the next (1.0 is linear). */
const GROWTH_GOAL = 1.5;

/** Prints the peers' table; true if the must-show failed. */
function printPeers(report: Report): boolean {
  let failed = false;
  const rows: string[][] = [];
  for (const p of report.peers) {
    for (const c of RATIOS) {
      const t = p.runs[c.tutti] ?? [];
      const q = p.runs[c.peer] ?? [];
      const tOk = t.filter((r) => r.ok);
      const qOk = q.filter((r) => r.ok);
      const tm = median(tOk.map((r) => r.seconds));
      const qm = median(qOk.map((r) => r.seconds));
      const ratio = tm / qm;
      const must = p.mustShow && c.mustShow;
      let verdict = "";
      if (must) {
        const pass = tOk.length === t.length && t.length > 0 && Number.isFinite(ratio) && ratio < 1;
        if (qOk.length === 0) verdict = "peer absent";
        else {
          verdict = pass ? "PASS" : "FAIL";
          if (!pass) failed = true;
        }
      }
      const cell = (runs: readonly Run[], m: number): string =>
        runs.length === 0 ? "skipped" : !Number.isFinite(m) ? `failed (${runs.find((r) => r.error)?.error ?? "?"})` : `${seconds(m * 1000)} (${runs.length === 1 ? "1 run" : `${runs.length} runs`})`;
      const rss = (runs: readonly Run[]): string => {
        const v = runs.map((r) => r.rss ?? 0).filter(Boolean);
        return v.length ? mib(Math.max(...v)) : "—";
      };
      rows.push([`${p.piece} (${p.measures} m.)`, c.label, cell(t, tm), cell(q, qm), Number.isFinite(ratio) ? ratio.toFixed(2) : "—", `${rss(t)} / ${rss(q)}`, verdict]);
    }
    for (const s of p.skipped) report.notes.includes(s) || report.notes.push(s);
  }
  console.log("Peers: command lines, wall time with start-up (median), Tutti for symphony-orchestra");
  printTable([["sketch", "comparison", "Tutti", "peer", "Tutti/peer", "peak RSS Tutti / peer", ""], ...rows], 2);
  console.log("  The must-show: both ratios below 1.0 for the Beethoven and Mozart first movements (PASS/FAIL).\n");
  return failed;
}

/**
 * Memory by stage for the must-show sketches: the heap each stage leaves in use (after a GC, in a
 * process of its own running the sources under tsx), and the peak RSS of the command line's
 * `arrange` (MusicXML only) beside MuseScore's re-save.
 */
function printStageMemory(report: Report): void {
  const measured = report.peers.filter((p) => p.stages);
  if (measured.length === 0) return;
  const peak = (runs: readonly Run[] | undefined): string => {
    const v = (runs ?? []).map((r) => r.rss ?? 0).filter(Boolean);
    return v.length ? `${mib(Math.min(...v))}–${mib(Math.max(...v))}` : "—";
  };
  const rows = measured.map((p) => [
    `${p.piece} (${p.measures} m.)`,
    mib(p.stages!.heapBefore, 1),
    ...(["read", "analyse", "orchestrate", "write"] as const).map((st) => mib(p.stages!.heapAfter[st], 1)),
    mib(p.stages!.peakRss),
    peak(p.runs["tutti-arrange"]),
    peak(p.runs["mscore-resave"]),
  ]);
  console.log("Memory by stage: heap in use after each stage and a GC, one process (tsx); peak RSS");
  printTable([["sketch", "loaded", "read", "analyse", "orchestrate", "write", "peak (tsx)", "tutti arrange", "MuseScore re-save"], ...rows]);
  console.log("  The command line's peak is Node (about 40 MiB), the code it loads, the output's bytes and V8's heap: the young generation kept at its first size and the old one collected at 1.5x what it last kept (src/cli/heap.ts).\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 100 ? 3 : 2)} s`;
}

function mib(bytes: number, digits = 0): string {
  return `${(bytes / MiB).toFixed(digits)} MiB`;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The first `left` columns left-aligned, the figures right-aligned, a rule under the header. */
function printTable(rows: readonly (readonly string[])[], left = 1): void {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length)));
  const line = (r: readonly string[]): string => r.map((cell, k) => (k < left ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join("  ").trimEnd();
  console.log(line(rows[0]!));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}

// ---------------------------------------------------------------- entry (last: everything above is initialised)

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const flag = (name: string): boolean => args.includes(name);

const caseId = option("--case");
const scaleArg = option("--scale-child");
const orchestralArg = option("--make-orchestral");
if (orchestralArg !== undefined) {
  process.send!(await makeOrchestral(orchestralArg));
} else if (caseId !== undefined) {
  const c = CASES.find((k) => k.id === caseId);
  if (!c) throw new Error(`unknown case ${caseId}`);
  process.send!(await runCase(c, Number(option("--reps") ?? c.reps)));
} else if (scaleArg !== undefined) {
  process.send!(await runScale(JSON.parse(scaleArg) as ScaleSketch, Number(option("--reps") ?? 1), !flag("--no-render")));
} else {
  await parent();
}

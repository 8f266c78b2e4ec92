/**
 * Speed and memory goals (`npm run bench`). The project keeps them here, never in timed unit
 * tests: a test that fails when the machine is busy teaches nobody anything.
 *
 * Each case runs in its own child process (so its peak RSS is its own, not the sum of the cases
 * before it), a few times over; the table shows the median and the fastest run, the peak RSS of
 * the process (getrusage, a true peak, including Node and tsx, about 100 MB before any work) and
 * the largest heap seen after a repetition (sampled, so a lower bound of the true heap peak).
 * A case passes when its median meets its time goal and its peak RSS stays under 1 GiB; the exit
 * code is 1 if any case fails.
 *
 *   npx tsx scripts/bench.ts [--only id,id] [--reps N]
 * Reads ../shared/corpus when present, else fixtures/corpus.
 *
 * The goals were set after measuring on two cores (see README, "Benchmark"), some runs on a quiet
 * machine and some while other work kept both cores busy (load 4–5), which slowed cases by up to
 * 2.5×. Each goal is about two to three times the quiet median and above the loaded one (the
 * range measured is beside it), so a busy CI machine passes and a real regression does not.
 * The peak RSS goal is the same for all: the 9.6 MB synthetic MusicXML reaches 0.7–0.9 GiB.
 *
 * buildMeasures on the synthetic piece is the slowest case and grows faster than the piece
 * (1,000 measures 1.0 s, 2,000 measures 2.6 s for one voice): `src/model/build.ts` copies a
 * voice's event list for every event it adds and filters all of a voice's events for every
 * measure. Its goal records today's figure; it is there to be lowered.
 */
import { fork } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
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
    id: "build-synthetic",
    label: (d) => `buildMeasures, synthetic (${d})`,
    goalMs: 15000, // measured 5–13 s: superlinear, see buildMeasures
    reps: 3,
    setup: async () => ({ run: () => syntheticScore(SYNTHETIC_MEASURES), detail: `${SYNTHETIC_MEASURES} m. × 2 staves, ${SYNTHETIC_MEASURES * 12} events` }),
  },
  {
    id: "write-xml",
    label: (d) => `write MusicXML, largest quartet (${d})`,
    goalMs: 1500, // measured 0.54–0.70 s
    reps: 5,
    setup: async () => {
      const score = readFile(QUARTET());
      return { run: () => writeMusicXml(score), detail: shape(score) };
    },
  },
  {
    id: "write-xml-synthetic",
    label: (d) => `write MusicXML, synthetic (${d})`,
    goalMs: 6000, // measured 2.0–2.5 s
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
    goalMs: 2000, // measured 0.57–0.67 s
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
    goalMs: 10000, // measured 3.5–3.6 s
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
    goalMs: 3000, // measured 0.95–1.16 s
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

// ---------------------------------------------------------------- running

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
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }
  return { id: c.id, detail, times, heap, rss: process.resourceUsage().maxRSS * 1024 };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs a case in a fresh process (inheriting tsx's loader through execArgv). */
function inChild(c: Case, reps: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--case", c.id, "--reps", String(reps)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: Result | undefined;
    child.on("message", (m) => (result = m as Result));
    child.on("error", reject);
    child.on("exit", (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${c.id}: child exited with code ${code}`))));
  });
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const caseId = option("--case");
if (caseId !== undefined) {
  const c = CASES.find((k) => k.id === caseId);
  if (!c) throw new Error(`unknown case ${caseId}`);
  process.send!(await runCase(c, Number(option("--reps") ?? c.reps)));
} else {
  const only = option("--only")?.split(",");
  const reps = option("--reps");
  const chosen = CASES.filter((c) => !only || only.includes(c.id));
  console.log(`Tutti benchmark: ${CORPUS === SHARED ? "../shared/corpus" : "fixtures/corpus"}, Node ${process.version}, ${(await import("node:os")).availableParallelism()} cores\n`);
  const rows: string[][] = [];
  let failed = false;
  for (const c of chosen) {
    process.stderr.write(`${c.id}…\n`);
    let r: Result;
    try {
      r = await inChild(c, reps ? Number(reps) : c.reps);
    } catch (err) {
      failed = true;
      rows.push([c.label("?"), "—", "—", `< ${c.goalMs / 1000} s`, "—", "—", `FAIL (${err instanceof Error ? err.message : String(err)})`]);
      continue;
    }
    const med = median(r.times);
    const pass = med < c.goalMs && r.rss < RSS_GOAL;
    if (!pass) failed = true;
    rows.push([c.label(r.detail), seconds(med), seconds(Math.min(...r.times)), `< ${c.goalMs / 1000} s`, `${Math.round(r.rss / MiB)} MiB`, `${Math.round(r.heap / MiB)} MiB`, pass ? "PASS" : "FAIL"]);
  }
  printTable([["case", "median", "min", "goal", "peak RSS", "heap", ""], ...rows]);
  console.log(`\nGoals: the median under the time goal, and peak RSS < ${RSS_GOAL / MiB} MiB for every case.`);
  console.log(failed ? "Some goals failed." : "All goals met.");
  process.exitCode = failed ? 1 : 0;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 100 ? 3 : 2)} s`;
}

/** The first column left-aligned, the figures right-aligned, a rule under the header. */
function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length)));
  const line = (r: readonly string[]): string => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join("  ").trimEnd();
  console.log(line(rows[0]!));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}

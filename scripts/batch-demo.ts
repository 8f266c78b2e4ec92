/**
 * The batch runner's demonstration (issue 8): a folder of chorale sketches (four-part chorales
 * reduced to a piano grand staff) and three broken files, arranged with `--jobs 1` and
 * `--jobs 2` through the built CLI; checks the outputs, the exit code, the untouched inputs and
 * that no stray file is left, and prints the times and the speed-up.
 *
 *   npm run build && npx tsx scripts/batch-demo.ts [--count 24] [--reps 3] [--format musicxml,svg] [--keep]
 *
 * --keep leaves the folder in place (its path is printed), to time or profile the CLI by hand.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { readScore } from "../src/read/index.js";
import { writeMusicXml } from "../src/write/musicxml.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg("--count", 24);
const REPS = arg("--reps", 3);
const FORMATS = process.argv.includes("--format") ? process.argv[process.argv.indexOf("--format") + 1]! : "musicxml";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SHARED = join(ROOT, "../shared/corpus/chorales");
const CHORALES = existsSync(SHARED) ? SHARED : join(ROOT, "fixtures/corpus/chorales");

const work = mkdtempSync(join(tmpdir(), "tutti-batch-"));
const inputs = join(work, "sketches");
mkdirSync(join(inputs, "more"), { recursive: true });
const names = readdirSync(CHORALES).filter((n) => /\.(mxl|musicxml|xml)$/.test(n)).sort().slice(0, COUNT);
names.forEach((n, k) => {
  const score = readScore(new Uint8Array(readFileSync(join(CHORALES, n))), n);
  const sketch = reduceToPiano(score).sketch;
  // A third of them in a sub-folder, to show the layout is kept under --out.
  writeFileSync(join(inputs, k % 3 === 2 ? "more" : "", n.replace(/\.\w+$/, ".musicxml")), writeMusicXml(sketch));
});
writeFileSync(join(inputs, "broken-truncated.musicxml"), readFileSync(join(inputs, names[0]!.replace(/\.\w+$/, ".musicxml")), "utf8").slice(0, 2000));
writeFileSync(join(inputs, "broken-corrupt.mid"), Buffer.from("MThd\u0000\u0000\u0000\u0006\u0000\u0001\u0000\u0002\u0001\u00e0MTrk\u0000\u0000\u00ff\u00ffgarbage"));
writeFileSync(join(inputs, "more", "broken-empty.mxl"), "");

const digest = (dir: string): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p.slice(dir.length + 1), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
};
/** CPU seconds (user + system) of the children this process has waited for, from Linux's /proc; NaN elsewhere. */
function childCpuSeconds(): number {
  try {
    // Fields 16 and 17 of /proc/self/stat (cutime, cstime), in clock ticks (USER_HZ, 100 on Linux); the name (field 2) may hold spaces.
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}
const before = digest(inputs);
console.log(`${names.length} chorale sketches and 3 broken files in ${inputs}`);

// Three runs of the folder: one job pinned to one core (with taskset, where there is one), one job, two jobs.
// The first shows how much of the second core a single job already uses: V8 compiles hot code
// and collects garbage on threads of its own.
const pin = spawnSync("taskset", ["-c", "0", "true"]).status === 0 && availableParallelism() >= 2;
const runs = [...(pin ? [{ label: "--jobs 1 on one core", jobs: 1, pinned: true }] : []), { label: "--jobs 1", jobs: 1, pinned: false }, { label: "--jobs 2", jobs: 2, pinned: false }];
const wall = new Map<string, number[]>(runs.map((r) => [r.label, []]));
const cpu = new Map<string, number[]>(runs.map((r) => [r.label, []]));
let outputsOf: Record<number, Map<string, string>> = {};
for (let rep = 0; rep < REPS; rep++) {
  for (const { label, jobs, pinned } of runs) {
    const out = join(work, `out-${jobs}`);
    rmSync(out, { recursive: true, force: true });
    const args = [join(ROOT, "bin/tutti.js"), "arrange", inputs, "-e", "string-quartet", "-o", out, "--jobs", String(jobs), "--json", "-f", FORMATS];
    const [began, cpuBefore] = [performance.now(), childCpuSeconds()];
    const run = pinned ? spawnSync("taskset", ["-c", "0", "node", ...args], { encoding: "utf8" }) : spawnSync("node", args, { encoding: "utf8" });
    wall.get(label)!.push((performance.now() - began) / 1000);
    cpu.get(label)!.push(childCpuSeconds() - cpuBefore);
    const summary = JSON.parse(run.stdout) as { arranged: number; failed: number; files: { input: string; ok: boolean; error?: string }[] };
    const failed = summary.files.filter((f) => !f.ok);
    if (rep === 0 && !pinned) {
      console.log(`--jobs ${jobs}: exit ${run.status}, ${summary.arranged} arranged, ${summary.failed} failed`);
      for (const f of failed) console.log(`  ${f.input}: ${f.error}`);
      console.log(`  stderr: ${run.stderr.trim().split("\n").length} lines`);
    }
    if (run.status !== 1 || summary.arranged !== names.length || failed.length !== 3) throw new Error(`${label}: unexpected result`);
    if (!pinned) outputsOf = { ...outputsOf, [jobs]: digest(out) };
  }
}

// And two separate processes at once, each arranging half of the sketches with one job: if these
// are no faster than one process with all of them, the limit is not in the worker threads.
const sketches = [...before.keys()].filter((k) => !k.includes("broken")).map((k) => join(inputs, k));
const halves = [sketches.filter((_, i) => i % 2 === 0), sketches.filter((_, i) => i % 2 === 1)];
const runProcess = (files: string[], out: string): Promise<number | null> =>
  new Promise((done) => spawn("node", [join(ROOT, "bin/tutti.js"), "arrange", ...files, "-e", "string-quartet", "-o", out, "--jobs", "1", "--quiet", "-f", FORMATS], { stdio: "ignore" }).on("close", done));
const halvesLabel = "two processes, half each";
wall.set(halvesLabel, []);
cpu.set(halvesLabel, []);
for (let rep = 0; rep < REPS; rep++) {
  const [began, cpuBefore] = [performance.now(), childCpuSeconds()];
  const codes = await Promise.all(halves.map((files, h) => runProcess(files, join(work, `out-half-${h}`))));
  wall.get(halvesLabel)!.push((performance.now() - began) / 1000);
  cpu.get(halvesLabel)!.push(childCpuSeconds() - cpuBefore);
  if (codes.some((c) => c !== 0)) throw new Error(`${halvesLabel}: exit codes ${codes.join(", ")}`);
}
runs.push({ label: halvesLabel, jobs: 1, pinned: false });

const [one, two] = [outputsOf[1]!, outputsOf[2]!];
const stray = [...one.keys()].filter((k) => !/\.(musicxml|svg)$/.test(k));
const same = one.size === two.size && [...one].every(([k, v]) => two.get(k) === v);
const after = digest(inputs);
const untouched = before.size === after.size && [...before].every(([k, v]) => after.get(k) === v);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`outputs: ${one.size} files (${[...one.keys()].filter((k) => k.startsWith("more/")).length} under more/), stray files: ${stray.length}, --jobs 1 and --jobs 2 outputs identical: ${same}, inputs untouched: ${untouched}`);
console.log(`median of ${REPS} runs (CPU: user + system time of the process and its threads):`);
for (const { label } of runs) {
  const [w, c] = [median(wall.get(label)!), median(cpu.get(label)!)];
  console.log(`  ${label.padEnd(22)} ${w.toFixed(2)} s, CPU ${Number.isNaN(c) ? "?" : `${c.toFixed(2)} s (${(c / w).toFixed(1)} cores busy)`}`);
}
console.log(`speed-up of --jobs 2 over --jobs 1: ${(median(wall.get("--jobs 1")!) / median(wall.get("--jobs 2")!)).toFixed(2)}×`);
if (pin) console.log(`speed-up of --jobs 1 from a second core: ${(median(wall.get("--jobs 1 on one core")!) / median(wall.get("--jobs 1")!)).toFixed(2)}×`);
if (process.argv.includes("--keep")) console.log(`kept: ${work}`);
else rmSync(work, { recursive: true, force: true });
if ([...one.keys()].filter((k) => k.endsWith(".musicxml")).length !== names.length || stray.length || !same || !untouched) process.exit(1);

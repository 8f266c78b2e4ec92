/**
 * The batch runner's demonstration (issue 8): a folder of chorale sketches (four-part chorales
 * reduced to a piano grand staff) and three broken files, arranged with `--jobs 1` and
 * `--jobs 2` through the built CLI; checks the outputs, the exit code, the untouched inputs and
 * that no stray file is left, and prints the times and the speed-up.
 *
 *   npm run build && npx tsx scripts/batch-demo.ts [--count 24] [--reps 3] [--format musicxml,svg]
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
const before = digest(inputs);
console.log(`${names.length} chorale sketches and 3 broken files in ${inputs}`);

const results: Record<number, number[]> = { 1: [], 2: [] };
let outputsOf: Record<number, Map<string, string>> = {};
for (let rep = 0; rep < REPS; rep++) {
  for (const jobs of [1, 2]) {
    const out = join(work, `out-${jobs}`);
    rmSync(out, { recursive: true, force: true });
    const began = performance.now();
    const run = spawnSync("node", [join(ROOT, "bin/tutti.js"), "arrange", inputs, "-e", "string-quartet", "-o", out, "--jobs", String(jobs), "--json", "-f", FORMATS], { encoding: "utf8" });
    const seconds = (performance.now() - began) / 1000;
    results[jobs]!.push(seconds);
    const summary = JSON.parse(run.stdout) as { arranged: number; failed: number; files: { input: string; ok: boolean; error?: string }[] };
    const failed = summary.files.filter((f) => !f.ok);
    if (rep === 0) {
      console.log(`--jobs ${jobs}: exit ${run.status}, ${summary.arranged} arranged, ${summary.failed} failed`);
      for (const f of failed) console.log(`  ${f.input}: ${f.error}`);
      console.log(`  stderr: ${run.stderr.trim().split("\n").length} lines`);
    }
    if (run.status !== 1 || summary.arranged !== names.length || failed.length !== 3) throw new Error(`--jobs ${jobs}: unexpected result`);
    outputsOf = { ...outputsOf, [jobs]: digest(out) };
  }
}
const [one, two] = [outputsOf[1]!, outputsOf[2]!];
const stray = [...one.keys()].filter((k) => !/\.(musicxml|svg)$/.test(k));
const same = one.size === two.size && [...one].every(([k, v]) => two.get(k) === v);
const after = digest(inputs);
const untouched = before.size === after.size && [...before].every(([k, v]) => after.get(k) === v);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`outputs: ${one.size} files (${[...one.keys()].filter((k) => k.startsWith("more/")).length} under more/), stray files: ${stray.length}, --jobs 1 and --jobs 2 outputs identical: ${same}, inputs untouched: ${untouched}`);
console.log(`time, median of ${REPS}: --jobs 1 ${median(results[1]!).toFixed(2)} s, --jobs 2 ${median(results[2]!).toFixed(2)} s, speed-up ${(median(results[1]!) / median(results[2]!)).toFixed(2)}×`);
rmSync(work, { recursive: true, force: true });
if ([...one.keys()].filter((k) => k.endsWith(".musicxml")).length !== names.length || stray.length || !same || !untouched) process.exit(1);

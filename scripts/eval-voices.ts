/**
 * Voice-separation evaluation (`npm run eval`): reduce each chorale and string-quartet movement
 * to a two-staff piano sketch of chords, separate its voices, and measure the share of notes that
 * land back in their original part (lines matched one-to-one to parts by overlap). Prints the
 * naive Explode baseline beside it.
 *
 *   npx tsx scripts/eval-voices.ts [--only chorales|quartets] [--limit N] [--verbose]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readScore } from "../src/read/index.js";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { separateVoices } from "../src/analyse/voices.js";
import { scoreExplode, scoreSeparation } from "../src/analyse/separation-score.js";

const SHARED = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const LOCAL = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const root = existsSync(SHARED) ? SHARED : LOCAL;
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const limit = args.includes("--limit") ? Number(args[args.indexOf("--limit") + 1]) : Infinity;
const verbose = args.includes("--verbose");

const goals: Record<string, number> = { chorales: 0.98, quartets: 0.85 };
let failed = false;
for (const folder of ["chorales", "quartets"]) {
  if (only && only !== folder) continue;
  const files = readdirSync(root + folder).filter((f) => /\.(mxl|musicxml|xml)$/.test(f)).sort().slice(0, limit);
  const rows: { name: string; share: number; base: number; lost: number; total: number; lines: number }[] = [];
  const t0 = Date.now();
  for (const f of files) {
    const score = readScore(new Uint8Array(readFileSync(root + folder + "/" + f)), f);
    const r = reduceToPiano(score);
    const lines = separateVoices(r.sketch);
    const s = scoreSeparation(r, lines);
    const b = scoreExplode(r);
    rows.push({ name: f, share: s.share, base: b.share, lost: s.lost, total: s.total, lines: lines.length });
    if (verbose) console.log(`  ${f.padEnd(34)} ${s.share.toFixed(3)}  explode ${b.share.toFixed(3)}  lines ${lines.length}  lost ${s.lost}`);
  }
  const mean = rows.reduce((a, r) => a + r.share, 0) / rows.length;
  const base = rows.reduce((a, r) => a + r.base, 0) / rows.length;
  const pooled = rows.reduce((a, r) => a + r.share * r.total, 0) / rows.reduce((a, r) => a + r.total, 0);
  const kept = rows.filter((r) => r.lost === 0).length;
  const worst = [...rows].sort((a, b) => a.share - b.share).slice(0, 5);
  console.log(`${folder}: ${rows.length} pieces in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`  mean share ${mean.toFixed(4)} (pooled ${pooled.toFixed(4)})   explode baseline ${base.toFixed(4)}   goal ${goals[folder]}`);
  console.log(`  every note kept: ${kept}/${rows.length}`);
  console.log(`  worst: ${worst.map((r) => `${r.name} ${r.share.toFixed(3)} (explode ${r.base.toFixed(3)}, ${r.lines} lines)`).join("; ")}`);
  if (mean < goals[folder]! || kept < rows.length) failed = true;
}
process.exitCode = failed ? 1 : 0;

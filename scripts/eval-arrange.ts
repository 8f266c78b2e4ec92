/**
 * Arrangement evaluation (`npm run eval:arrange`).
 *
 * 1. Fidelity: chorales (SATB) and string-quartet movements are reduced to a two-staff piano
 *    sketch, arranged for string-quartet (and the chorales for satb-choir), and we count the notes
 *    that land back in the part that played them. Goals: chorales ≥ 0.97, quartets ≥ 0.85.
 * 2. Playability: chorales, reduced quartets and the piano pieces arranged for five ensembles:
 *    notes outside any instrument's absolute range, chords on one-note instruments, sketch notes
 *    missing (pitch class at onset), and XSD validity of the MusicXML.
 * 3. Music: the piano pieces and scores/ arranged for string-quartet, woodwind-quintet,
 *    brass-quintet and symphony-orchestra, as an orchestration teacher marks them (see
 *    `auditMusic`): the sketch's lowest pitch class is the arrangement's lowest, half-bar by
 *    half-bar (goal ≥ 0.99 on average, ≥ 0.95 in every arrangement); the sketch's dynamics,
 *    hairpins and words found at their onset (≥ 0.98); parts marked three or more levels below the
 *    sketch (0); `tutti check` warnings on the output (0).
 *
 *   npx tsx scripts/eval-arrange.ts [--limit N] [--only fidelity|playability|music] [--verbose]
 * Reads ../shared/corpus when present, else fixtures/corpus.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { ensemble } from "../src/instruments/index.js";
import type { Score } from "../src/model/score.js";
import { loadDatabase } from "../src/node/instruments.js";
import { readScore } from "../src/read/index.js";
import { arrange } from "../src/orchestrate/index.js";
import { audit, fidelity } from "../src/orchestrate/fidelity.js";
import { auditMusic, type MusicAudit } from "../src/orchestrate/music-audit.js";
import { slotsOf } from "../src/orchestrate/slots.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { xsdErrors } from "../test/support/xsd.js";

const SHARED = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const LOCAL = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const root = existsSync(SHARED) ? SHARED : LOCAL;
const args = process.argv.slice(2);
const limit = args.includes("--limit") ? Number(args[args.indexOf("--limit") + 1]) : Infinity;
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const verbose = args.includes("--verbose");
const db = await loadDatabase();

function load(folder: string): { name: string; score: Score }[] {
  return readdirSync(root + folder)
    .filter((f) => /\.(mxl|musicxml|xml)$/.test(f))
    .sort()
    .slice(0, limit)
    .map((f) => ({ name: f, score: readScore(new Uint8Array(readFileSync(root + folder + "/" + f)), f) }));
}

const chorales = load("chorales");
const quartets = load("quartets");
let failed = false;

if (!only || only === "fidelity") {
  const runs: [string, { name: string; score: Score }[], string, number][] = [
    ["chorales", chorales, "string-quartet", 0.97],
    ["chorales", chorales, "satb-choir", 0.97],
    ["quartets", quartets, "string-quartet", 0.85],
  ];
  for (const [folder, pieces, ens, goal] of runs) {
    const rows = pieces.map(({ name, score }) => {
      const r = reduceToPiano(score);
      const [a] = arrange(r.sketch, ensemble(db, ens), db, { style: "plain" });
      return { name, ...fidelity(r, a!.score) };
    });
    const correct = rows.reduce((s, r) => s + r.correct, 0);
    const total = rows.reduce((s, r) => s + r.total, 0);
    const mean = rows.reduce((s, r) => s + r.share, 0) / rows.length;
    const worst = [...rows].sort((a, b) => a.share - b.share).slice(0, 3);
    console.log(`fidelity ${folder} → ${ens}: mean ${mean.toFixed(4)}, pooled ${(correct / total).toFixed(4)} (${correct}/${total}), goal ${goal}`);
    console.log(`  worst: ${worst.map((r) => `${r.name} ${r.share.toFixed(3)}`).join("; ")}`);
    if (mean < goal) failed = true;
  }
}

if (!only || only === "music") music();

if (!only || only === "playability") {
  const piano = load("piano");
  const sketches: { set: string; name: string; sketch: Score }[] = [
    ...chorales.map((c) => ({ set: "chorales", name: c.name, sketch: reduceToPiano(c.score).sketch })),
    ...quartets.map((q) => ({ set: "quartets", name: q.name, sketch: reduceToPiano(q.score).sketch })),
    ...piano.map((p) => ({ set: "piano", name: p.name, sketch: p.score })),
  ];
  const ensembles = ["string-quartet", "satb-choir", "woodwind-quintet", "brass-quintet", "symphony-orchestra"];
  console.log("\n| ensemble | sketches | out of range | chords on one-note | sketch notes missing (of which beyond the ensemble's voices; of which held through their onset) | invalid XML | seconds |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const ens of ensembles) {
    let outOfRange = 0;
    let chords = 0;
    let missing = 0;
    let beyond = 0;
    let held = 0;
    let notes = 0;
    // How many lines the ensemble can sound at once: one per player, two on a string instrument
    // (double stops), a keyboard's own polyphony.
    const voices = slotsOf(db, ensemble(db, ens)).reduce((n, s) => n + Math.max(s.capacity, s.instrument.idioms.doubleStops ? 2 : 1), 0);
    let invalid = 0;
    const t0 = Date.now();
    const bad: string[] = [];
    for (const s of sketches) {
      const [a] = arrange(s.sketch, ensemble(db, ens), db, { style: "rich" });
      const au = audit(s.sketch, a!.score, db, voices);
      beyond += au.beyondCapacity;
      held += au.held;
      outOfRange += au.outOfRange;
      chords += au.chordsOnOneNote;
      missing += au.missing;
      notes += au.sketchNotes;
      const errs = xsdErrors(writeMusicXml(a!.score));
      if (errs.length) invalid++;
      if (au.outOfRange || au.chordsOnOneNote || au.missing > au.held || errs.length) bad.push(`${s.set}/${s.name} (range ${au.outOfRange}, chords ${au.chordsOnOneNote}, missing ${au.missing}${errs.length ? `, xsd: ${errs[0]}` : ""})`);
    }
    console.log(`| ${ens} | ${sketches.length} | ${outOfRange} | ${chords} | ${missing} of ${notes} (${beyond}; ${held}) | ${invalid} | ${((Date.now() - t0) / 1000).toFixed(0)} |`);
    if (bad.length) console.log(`  problems: ${bad.slice(0, 6).join("; ")}${bad.length > 6 ? ` … and ${bad.length - 6} more` : ""}`);
    if (outOfRange || chords || missing > beyond + held || invalid) failed = true;
  }
}
function music(): void {
  const scoresDir = fileURLToPath(new URL("../scores/", import.meta.url));
  const files = [
    ...readdirSync(root + "piano").filter((f) => /\.(mxl|musicxml|xml)$/.test(f)).sort().slice(0, limit).map((f) => root + "piano/" + f),
    ...readdirSync(scoresDir).filter((f) => /\.(mxl|musicxml|xml)$/.test(f)).sort().map((f) => scoresDir + f),
  ];
  const ensembles = ["string-quartet", "woodwind-quintet", "brass-quintet", "symphony-orchestra"];
  const rows: { name: string; ens: string; audit: MusicAudit }[] = [];
  for (const path of files) {
    const name = path.split("/").pop()!;
    const sketch = readScore(new Uint8Array(readFileSync(path)), name);
    for (const ens of ensembles) rows.push({ name, ens, audit: auditMusic(sketch, arrange(sketch, ensemble(db, ens), db)[0]!.score, db) });
  }
  const share = (a: MusicAudit): number => (a.bass.halfBars ? a.bass.agree / a.bass.halfBars : 1);
  const mean = rows.reduce((s, r) => s + share(r.audit), 0) / rows.length;
  const inBass = (a: MusicAudit): number => (a.bass.accompanied && a.bass.inBassParts !== undefined ? a.bass.inBassParts / a.bass.accompanied : 1);
  const meanInBass = rows.reduce((s, r) => s + inBass(r.audit), 0) / rows.length;
  const worstInBass = [...rows].sort((a, b) => inBass(a.audit) - inBass(b.audit))[0]!;
  const worst = [...rows].sort((a, b) => share(a.audit) - share(b.audit))[0]!;
  const expTotal = rows.reduce((s, r) => s + r.audit.expression.total, 0);
  const expFound = rows.reduce((s, r) => s + r.audit.expression.found, 0);
  const soft = rows.flatMap((r) => r.audit.tooSoft.map((t) => `${r.name} → ${r.ens}: ${t}`));
  const checks = rows.flatMap((r) => r.audit.checkFindings.map((c) => `${r.name} → ${r.ens}: ${c}`));
  console.log(`\nmusic: ${files.length} sketches x ${ensembles.length} ensembles`);
  console.log(`| measure | value | goal |\n| --- | --- | --- |`);
  console.log(`| sketch's lowest pitch class lowest in the arrangement (half-bars, mean) | ${mean.toFixed(3)} | ≥ 0.99 |`);
  console.log(`| the same, worst arrangement | ${share(worst.audit).toFixed(3)} (${worst.name} → ${worst.ens}) | ≥ 0.95 |`);
  console.log(`| ... played by a bass instrument (cello, bassoon, tuba…) where the sketch sounds two notes at once (mean) | ${meanInBass.toFixed(3)} | |`);
  console.log(`| the same, worst arrangement | ${inBass(worstInBass.audit).toFixed(3)} (${worstInBass.name} → ${worstInBass.ens}) | |`);
  console.log(`| dynamics, hairpins and words found at their onset | ${(expFound / expTotal).toFixed(3)} (${expFound} of ${expTotal}) | ≥ 0.98 |`);
  console.log(`| parts marked three or more levels below the sketch | ${soft.length} | 0 |`);
  console.log(`| tutti check warnings on the output | ${checks.length} | 0 |`);
  if (verbose) {
    for (const r of rows) console.log(`  ${r.name} → ${r.ens}: bass ${share(r.audit).toFixed(3)} in bass parts ${inBass(r.audit).toFixed(3)} [${r.audit.bass.examples.join(", ")}], expression ${r.audit.expression.found}/${r.audit.expression.total} [${r.audit.expression.missing.slice(0, 3).join("; ")}]`);
    for (const s of [...soft, ...checks].slice(0, 40)) console.log(`  ${s}`);
  }
  if (mean < 0.99 || share(worst.audit) < 0.95 || expFound / expTotal < 0.98 || soft.length || checks.length) failed = true;
}

process.exitCode = failed ? 1 : 0;

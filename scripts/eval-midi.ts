/**
 * MIDI evaluation (`npm run eval:midi`) over the whole corpus:
 *  1. the piano-midi.de files: notes kept, merged duplicates, meter and key (the file's, and the key
 *     Krumhansl–Schmuckler estimates from the notes alone), triplet beats, XSD validity;
 *  2. the chorales: MusicXML → MIDI → MusicXML, onsets and pitches, and spelling; the spelling of
 *     the piano pieces and quartet movements read back the same way;
 *  3. the chorales transposed up a major second and humanised (±12 ticks at 480 PPQ, velocities
 *     40–110), with and without key signatures in the file (without: the key is estimated);
 *  4. the two-staff piano pieces written as one MIDI track and read back: notes on their own staff,
 *     as the reader split the hands by pitch and as `pianoView` deals the lines to them (the piano
 *     score `tutti convert` writes);
 *  5. chorales and quartet movements as one-track piano MIDI files (the two-staff reduction of
 *     `npm run eval`, written at 480 PPQ with the score's meter and key), on the grid and humanised
 *     (onsets ±12 ticks, releases up to 12 ticks early, velocities 52–76), read back and arranged
 *     for string quartet (plain): the share of notes back in their own part, beside the same
 *     reduction arranged as MusicXML; the lines the analysis finds (separation, as `npm run eval`
 *     scores it, notes found by onset and pitch); and the sketch's lowest pitch class lowest in the
 *     arrangement, half-bar by half-bar; and the notes on the staff the reduction gave them, as the
 *     reader split the hands and as `pianoView` deals the lines to them. Beside the MIDI readings,
 *     the MusicXML sketch's lines, and its lines with the staves a guess (its own notes marked
 *     `staffGuessed`, as a one-track file's are): the quartets lose as much there as through the
 *     MIDI file, so the gap to the MusicXML sketch is the staves the file does not carry, not the
 *     reading of its ticks; where every part sounds, the share of notes struck with two parts out
 *     of register order (the second violin under the viola), and the notes in the line matched to
 *     their part there and where the parts are in order; the notes struck while a part next to
 *     their own sounds on their other side (the viola over the second violin), in their part in
 *     each reading, and what the MIDI readings would reach if they matched the MusicXML sketch on
 *     every other note. Goals: chorales ≥ 0.97, quartets (humanised) ≥ 0.85, bass ≥ 0.99;
 *  6. the chorales played freely (issue 18): the one-track piano reduction played without a click,
 *     its tempo drifting smoothly ±8 % about a base of 60–100 bpm (period 8–20 s, seeded), onsets
 *     ±12 ms, written against a single 120 bpm tempo event (`playFreely`), with the time signature
 *     in the file and without (the meter then found in the notes), and on the grid without it:
 *     notes at their beat and subdivision (after lining up the first notes), meter and downbeat
 *     right, and the share of the chorale's barlines the reading has (below 1 where a chorale has
 *     measures of other lengths). Goal: ≥ 0.95 of notes, meter and downbeat right.
 *
 *  7. what a performance carries besides its notes: the piano pieces and quartet reductions with
 *     dynamics written as MIDI (their marks as velocities) and read back, the share of measures
 *     with the same level in force (and within one level); and the piano-midi.de files arranged for
 *     string quartet, woodwind quintet, brass quintet and orchestra: the dynamics and pedal read,
 *     the sketch's marks found in the arrangement, the sketch's lowest pitch class lowest (as in 5),
 *     and `tutti check` warnings on the output.
 *
 *   npx tsx scripts/eval-midi.ts [--limit N] [--only 1,2,3,4,5,6,7] [--verbose]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyse, pianoView } from "../src/analyse/index.js";
import { type Reduction, reduceToPiano } from "../src/analyse/reduce.js";
import { sketchNotes } from "../src/analyse/sketch-notes.js";
import type { Line } from "../src/analyse/types.js";
import { add, cmp, eq, type Fraction, lt, sub } from "../src/model/fraction.js";
import { scoreSeparation, scoreSeparationByTime } from "../src/analyse/separation-score.js";
import { separateNotes } from "../src/analyse/voices.js";
import { type Database, ensemble } from "../src/instruments/index.js";
import { loadDatabase } from "../src/node/instruments.js";
import { arrangeAnalysed } from "../src/orchestrate/arrange.js";
import { fidelity } from "../src/orchestrate/fidelity.js";
import { auditMusic } from "../src/orchestrate/music-audit.js";
import { scoreNotes } from "../src/model/notes.js";
import { midiOf } from "../src/model/pitch.js";
import { levelIndex, type Score } from "../src/model/score.js";
import { measureStarts, timedDirections } from "../src/model/timeline.js";
import { readScore } from "../src/read/index.js";
import { readMidiWithReport } from "../src/read/midi.js";
import { estimateKey } from "../src/read/spelling.js";
import { writeMidi } from "../src/write/midi.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { humanise, matchBeats, matchNotes, playFreely, transposeScore, withoutEvents } from "../test/support/midi.js";
import { xsdErrors } from "../test/support/xsd.js";

const SHARED = "/work/shared/corpus/";
const LOCAL = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const root = existsSync(SHARED) ? SHARED : LOCAL;
const args = process.argv.slice(2);
const limit = args.includes("--limit") ? Number(args[args.indexOf("--limit") + 1]) : Infinity;
const only = args.includes("--only") ? new Set(args[args.indexOf("--only") + 1]!.split(",").map(Number)) : undefined;
const verbose = args.includes("--verbose");
const section = (n: number): boolean => !only || only.has(n);
let failed = false;
const bytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(2)} %`;
const KEYS = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"];

if (section(1)) pianoMidi();
if (section(2) || section(3)) chorales();
if (section(4)) pianoStaves();
if (section(5)) await oneTrack();
if (section(6)) freeTempo();
if (section(7)) performed(await loadDatabase());
process.exitCode = failed ? 1 : 0;

function pianoMidi(): void {
  console.log("## 1. piano-midi.de files → MusicXML\n");
  console.log("| file | notes in | kept | merged | meter | key (file) | key (estimated) | triplet beats | XSD |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const f of readdirSync(`${root}midi`).filter((x) => x.startsWith("pianomidi-")).sort()) {
    const { score, report } = readMidiWithReport(bytes(`${root}midi/${f}`), f);
    const notes = scoreNotes(score).flat();
    const est = estimateKey(notes.map((n) => ({ midi: midiOf(n.pitch!), weight: n.duration.n / n.duration.d })));
    const estName = `${est.mode === "major" ? KEYS[est.fifths + 7] : ["Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#"][est.fifths + 7]} ${est.mode}`;
    const errors = xsdErrors(writeMusicXml(score));
    console.log(
      `| ${f.replace(/^pianomidi-/, "").replace(/\.mid$/, "")} | ${report.notesIn} | ${notes.length} | ${report.mergedDuplicates} | ${report.meter} | ${report.key} | ${estName} | ${report.tripletBeats} | ${errors.length === 0 ? "valid" : `${errors.length} errors`} |`,
    );
  }
}

function chorales(): void {
  const chorales = readdirSync(`${root}chorales`).filter((f) => /\.(mxl|musicxml|xml)$/.test(f)).sort().slice(0, limit);
  const tally = (): { total: number; found: number; spelled: number } => ({ total: 0, found: 0, spelled: 0 });
  const rt = tally();
  const hum = tally();
  const humNoKey = tally();
  const t0 = Date.now();
  chorales.forEach((f, i) => {
    const a = readScore(bytes(`${root}chorales/${f}`), f);
    tallyReading(rt, a, readMidiWithReport(writeMidi(a), "rt.mid").score);
    const up = transposeScore(a, 1, 2);
    const played = humanise(writeMidi(up), 1000 + i);
    tallyReading(hum, up, readMidiWithReport(played, "played.mid").score);
    tallyReading(humNoKey, up, readMidiWithReport(withoutEvents(played, "keySignature"), "played.mid").score);
  });
  console.log(`\n## 2. chorales: MusicXML → MIDI → MusicXML (${chorales.length} files, ${rt.total} notes)\n`);
  console.log(`onset and pitch: ${pct(rt.found, rt.total)}; spelled as in the score: ${pct(rt.spelled, rt.total)}`);
  console.log(`\n## 3. chorales up a major second, humanised (±12 ticks, velocities 40–110)\n`);
  console.log(`with key signatures: onset and pitch ${pct(hum.found, hum.total)}, spelled ${pct(hum.spelled, hum.total)}`);
  console.log(`key signatures removed (key estimated): onset and pitch ${pct(humNoKey.found, humNoKey.total)}, spelled ${pct(humNoKey.spelled, humNoKey.total)}`);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  // The spelling of music that moves through more keys than a chorale (see `spellInContext`).
  for (const folder of ["piano", "quartets"]) {
    const t = tally();
    for (const f of readdirSync(`${root}${folder}`).filter((x) => /\.(mxl|musicxml|xml)$/.test(x)).sort().slice(0, limit)) {
      const a = readScore(bytes(`${root}${folder}/${f}`), f);
      tallyReading(t, a, readMidiWithReport(writeMidi(a), "rt.mid").score);
    }
    console.log(`${folder}: MusicXML → MIDI → MusicXML, of the notes found at their onset and pitch (${t.found} of ${t.total}), spelled as in the score: ${pct(t.spelled, t.found)}`);
  }
}

/** Tallies a reading `b` of score `a`: its notes, those found at their onset and pitch, those spelled as `a` spells them. */
function tallyReading(t: { total: number; found: number; spelled: number }, a: Score, b: Score): void {
  const m = matchNotes(a, b);
  t.total += m.total;
  t.found += m.onsetAndPitch;
  t.spelled += m.spelled;
}

function pianoStaves(): void {
  console.log("\n## 4. two-staff piano parts as one MIDI track: notes read back on their own staff, as the reader split the hands by pitch and as `pianoView` (what `tutti convert` writes) deals the lines to them\n");
  console.log("| piece | notes | the reader's split | pianoView |\n| --- | --- | --- | --- |");
  const all = { total: 0, read: 0, view: 0 };
  for (const f of readdirSync(`${root}piano`).filter((x) => /\.(mxl|musicxml|xml)$/.test(x)).sort()) {
    const a = readScore(bytes(`${root}piano/${f}`), f);
    if (a.parts.length !== 1 || a.parts[0]!.staves !== 2) continue;
    const b = readMidiWithReport(writeMidi(a), "p.mid").score;
    const truth = placedIn(a);
    const read = onOwnStaff(truth, placedIn(b));
    const view = onOwnStaff(truth, placedIn(pianoView(b)));
    all.total += truth.length;
    all.read += read;
    all.view += view;
    console.log(`| ${f} | ${truth.length} | ${pct(read, truth.length)} | ${pct(view, truth.length)} |`);
  }
  console.log(`| all | ${all.total} | ${pct(all.read, all.total)} | ${pct(all.view, all.total)} |`);
}

/** A note as the staff matching sees it: key, onset, staff. */
interface Placed {
  readonly midi: number;
  readonly onset: Fraction;
  readonly staff: number;
}

/**
 * How many of the notes `truth` puts on a staff a reading has at the same onset and key on that
 * staff. A key a reading strikes once for two voices in unison (one key of a MIDI file) counts
 * for each of them it puts on their staff.
 */
function onOwnStaff(truth: readonly Placed[], read: readonly Placed[]): number {
  const staves = new Map<string, Set<number>>();
  for (const n of read) {
    const k = `${n.midi}@${n.onset.n / n.onset.d}`;
    staves.set(k, (staves.get(k) ?? new Set()).add(n.staff));
  }
  return truth.filter((n) => staves.get(`${n.midi}@${n.onset.n / n.onset.d}`)?.has(n.staff)).length;
}

/** A score's first part's notes (pitched, not grace notes) with their staves. */
function placedIn(score: Score): Placed[] {
  return (scoreNotes(score)[0] ?? []).flatMap((n) => (n.pitch && !n.grace ? [{ midi: midiOf(n.pitch), onset: n.onset, staff: n.staff }] : []));
}

/** Section 5: chorales and quartet movements as one-track piano MIDI, arranged for string quartet. */
async function oneTrack(): Promise<void> {
  const db = await loadDatabase();
  const quartet = ensemble(db, "string-quartet");
  const touch = { earlyReleases: true, velocities: [52, 76] as const };
  console.log("\n## 5. chorales and quartet movements as one-track piano MIDI → string quartet\n");
  const runs: [folder: string, goal: number][] = [
    ["chorales", 0.97],
    ["quartets", 0.85],
  ];
  for (const [folder, goal] of runs) {
    const files = readdirSync(`${root}${folder}`).filter((f) => /\.(mxl|musicxml|xml)$/.test(f)).sort().slice(0, limit);
    const t0 = Date.now();
    type Run = { fidelity: number; swapped: number[][]; total: number; separation: number; lines: number; bass: number; staffRead: number; staffHands: number; order: ByOrder; crossing: ByCrossing };
    const rows: { name: string; xml: number; xmlFidelity: ReturnType<typeof fidelity>; xmlLines: number; xmlOrder: ByOrder; xmlCrossing: ByCrossing; staffless: number; grid: Run; played: Run }[] = [];
    files.forEach((f, i) => {
      const r = reduceToPiano(readScore(bytes(`${root}${folder}/${f}`), f));
      const xmlAnalysis = analyse(r.sketch);
      const xml = arrangeAnalysed(r.sketch, xmlAnalysis, quartet, db, { style: "plain" })[0]!;
      // The same notes with the staves a guess, as a one-track file's reading has them: what the MIDI path cannot know.
      const staffless = scoreSeparation(r, separateNotes(sketchNotes(r.sketch).map((n) => ({ ...n, staffGuessed: true as const })))).share;
      const file = writeMidi(r.sketch);
      const run = (midi: Uint8Array): Run => {
        const sketch = readMidiWithReport(midi, f.replace(/\.\w+$/, ".mid")).score;
        const analysis = analyse(sketch);
        const [a] = arrangeAnalysed(sketch, analysis, quartet, db, { style: "plain" });
        const bass = auditMusic(sketch, a!.score, db).bass;
        const truth = alignedTo(r, sketch);
        const found = fidelity(truth, a!.score);
        return {
          staffRead: sameStaff(truth, sketch),
          staffHands: sameStaff(truth, pianoView(sketch)),
          fidelity: found.share,
          swapped: found.swapped,
          total: found.total,
          separation: scoreSeparationByTime(truth, analysis.lines).share,
          lines: analysis.lines.length,
          bass: bass.halfBars ? bass.agree / bass.halfBars : 1,
          order: byRegisterOrder(truth, analysis.lines),
          crossing: byCrossing(truth, found.inPart),
        };
      };
      const xmlFidelity = fidelity(r, xml.score);
      const row = { name: f.replace(/\.\w+$/, ""), xml: xmlFidelity.share, xmlFidelity, xmlLines: scoreSeparation(r, xmlAnalysis.lines).share, xmlOrder: byRegisterOrder(r, xmlAnalysis.lines), xmlCrossing: byCrossing(r, xmlFidelity.inPart), staffless, grid: run(file), played: run(humanise(file, 2000 + i, 12, touch)) };
      rows.push(row);
      if (verbose) {
        if (i === 0) console.log(`| ${folder} | MusicXML | grid: in part | lines found | lines | bass | humanised: in part | lines found | lines | bass |\n${"| --- ".repeat(10)}|`);
        const cell = (x: Run): string => `${x.fidelity.toFixed(3)} | ${x.separation.toFixed(3)} | ${x.lines} | ${x.bass.toFixed(3)}`;
        console.log(`| ${row.name} | ${row.xml.toFixed(3)} | ${cell(row.grid)} | ${cell(row.played)} |`);
      }
    });
    const mean = (get: (r: (typeof rows)[number]) => number): number => rows.reduce((a, r) => a + get(r), 0) / rows.length;
    const worst = (get: (r: (typeof rows)[number]) => number): string => {
      const w = [...rows].sort((a, b) => get(a) - get(b)).slice(0, 3);
      return w.map((r) => `${r.name} ${get(r).toFixed(3)}`).join(", ");
    };
    console.log(`${folder}: ${rows.length} pieces in ${((Date.now() - t0) / 1000).toFixed(1)} s; goal ${goal} back in their part${folder === "quartets" ? " (humanised)" : ""}, bass ≥ 0.99`);
    console.log("| measure | MusicXML sketch | MIDI on the grid | MIDI humanised |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| back in their part (mean) | ${mean((r) => r.xml).toFixed(4)} | ${mean((r) => r.grid.fidelity).toFixed(4)} | ${mean((r) => r.played.fidelity).toFixed(4)} |`);
    console.log(`| worst | ${worst((r) => r.xml)} | ${worst((r) => r.grid.fidelity)} | ${worst((r) => r.played.fidelity)} |`);
    console.log(`| lines found (separation, mean) | ${mean((r) => r.xmlLines).toFixed(4)} | ${mean((r) => r.grid.separation).toFixed(4)} | ${mean((r) => r.played.separation).toFixed(4)} |`);
    console.log(`| ... the sketch's notes with the staves a guess | ${mean((r) => r.staffless).toFixed(4)} | | |`);
    console.log(`| lines per piece (mean) | | ${mean((r) => r.grid.lines).toFixed(2)} | ${mean((r) => r.played.lines).toFixed(2)} |`);
    console.log(`| notes on the reduction's staff: the reader's split (mean) | | ${mean((r) => r.grid.staffRead).toFixed(4)} | ${mean((r) => r.played.staffRead).toFixed(4)} |`);
    console.log(`| ... the hands from the lines (pianoView) | | ${mean((r) => r.grid.staffHands).toFixed(4)} | ${mean((r) => r.played.staffHands).toFixed(4)} |`);
    console.log(`| lowest pitch class lowest (half-bars, mean) | | ${mean((r) => r.grid.bass).toFixed(4)} | ${mean((r) => r.played.bass).toFixed(4)} |`);
    console.log(`| the same, worst | | ${worst((r) => r.grid.bass)} | ${worst((r) => r.played.bass)} |`);
    // Where the notes not in their part went: to the part next to it, both ways (the middle two
    // voices of a quartet cross, and only a MusicXML sketch's staves tell them apart).
    const names = folder === "quartets" ? ["Violin I", "Violin II", "Viola", "Cello"] : ["soprano", "alto", "tenor", "bass"];
    for (let k = 0; k + 1 < names.length; k++) {
      const pooled = (get: (r: (typeof rows)[number]) => { swapped: number[][]; total: number }): string => {
        const all = rows.map(get);
        const n = all.reduce((a, x) => a + (x.swapped[k]?.[k + 1] ?? 0) + (x.swapped[k + 1]?.[k] ?? 0), 0);
        return (n / all.reduce((a, x) => a + x.total, 0)).toFixed(4);
      };
      console.log(`| in the other part of ${names[k]} and ${names[k + 1]} (share of all notes) | ${pooled((r) => r.xmlFidelity)} | ${pooled((r) => r.grid)} | ${pooled((r) => r.played)} |`);
    }
    // Where the parts all sound: out of register order (a part under the one below it in the
    // score, the second violin under the viola), the notes, pitch and time, cannot say which part
    // is which; the MusicXML sketch's staves can, between its halves.
    const pooledOrder = (get: (r: (typeof rows)[number]) => ByOrder, key: keyof ByOrder): string => {
      const [ok, total] = rows.map(get).reduce(([a, b], o) => [a + o[key][0], b + o[key][1]], [0, 0]);
      return total ? (ok / total).toFixed(4) : "–";
    };
    const crossedShare = (() => {
      const [c, all] = rows.reduce(([a, b], r) => [a + r.xmlOrder.crossed[1], b + r.xmlOrder.crossed[1] + r.xmlOrder.ordered[1]], [0, 0]);
      return all ? (c / all).toFixed(4) : "–";
    })();
    console.log(`| notes where every part sounds and two are out of register order (share of those where every part sounds) | ${crossedShare} | | |`);
    console.log(`| ... notes there in the line matched to their part (separation) | ${pooledOrder((r) => r.xmlOrder, "crossed")} | ${pooledOrder((r) => r.grid.order, "crossed")} | ${pooledOrder((r) => r.played.order, "crossed")} |`);
    console.log(`| ... the same where the parts are in register order | ${pooledOrder((r) => r.xmlOrder, "ordered")} | ${pooledOrder((r) => r.grid.order, "ordered")} | ${pooledOrder((r) => r.played.order, "ordered")} |`);
    // Notes struck while a part next to their own sounds on their other side: the notes, pitch and
    // time, cannot say which part is which there; and what the MIDI reading would reach if it
    // matched the MusicXML sketch's (staves and all) on every other note.
    const pooledCross = (get: (r: (typeof rows)[number]) => ByCrossing, key: keyof ByCrossing): string => {
      const [ok, total] = rows.map(get).reduce(([a, b], c) => [a + c[key][0], b + c[key][1]], [0, 0]);
      return total ? (ok / total).toFixed(4) : "–";
    };
    const [crossedAll, notesAll] = rows.reduce(([a, b], r) => [a + r.xmlCrossing.crossed[1], b + r.xmlCrossing.crossed[1] + r.xmlCrossing.uncrossed[1]], [0, 0]);
    const bound = (get: (r: (typeof rows)[number]) => Run): string =>
      (rows.reduce((a, r) => a + r.xmlCrossing.uncrossed[0] + get(r).crossing.crossed[0], 0) / notesAll).toFixed(4);
    console.log(`| notes struck while a part next to theirs sounds on their other side (share of all notes) | ${notesAll ? (crossedAll / notesAll).toFixed(4) : "–"} | | |`);
    console.log(`| ... of those, in their own part | ${pooledCross((r) => r.xmlCrossing, "crossed")} | ${pooledCross((r) => r.grid.crossing, "crossed")} | ${pooledCross((r) => r.played.crossing, "crossed")} |`);
    console.log(`| ... of the others, in their own part | ${pooledCross((r) => r.xmlCrossing, "uncrossed")} | ${pooledCross((r) => r.grid.crossing, "uncrossed")} | ${pooledCross((r) => r.played.crossing, "uncrossed")} |`);
    console.log(`| in their own part (pooled) if the MIDI reading matched the MusicXML sketch on every note not so crossed | | ${bound((r) => r.grid)} | ${bound((r) => r.played)} |`);
    const reached = mean((r) => r.played.fidelity) >= goal && (folder === "quartets" || mean((r) => r.grid.fidelity) >= goal);
    if (!reached) failed = true;
  }
}

/** Section 6: chorales played without a click against a file's fixed tempo. */
function freeTempo(): void {
  console.log("\n## 6. chorales played freely (tempo ±8 %, onsets ±12 ms) against a fixed 120 bpm, and on the grid without a time signature\n");
  const files = readdirSync(`${root}chorales`).filter((f) => /\.(mxl|musicxml|xml)$/.test(f)).sort().slice(0, limit);
  const t0 = Date.now();
  type Tally = { errors: number; total: number; onBeat: number; meter: number; downbeat: number; barlines: number; tracked: number; worst: { name: string; share: number }[] };
  const runs: [label: string, meter: boolean, played: boolean][] = [
    ["time signature in the file", true, true],
    ["no time signature", false, true],
    ["on the grid, no time signature", false, false],
  ];
  for (const [label, meter, played] of runs) {
    const t: Tally = { errors: 0, total: 0, onBeat: 0, meter: 0, downbeat: 0, barlines: 0, tracked: 0, worst: [] };
    files.forEach((f, i) => {
      const truth = reduceToPiano(readScore(bytes(`${root}chorales/${f}`), f)).sketch;
      const { file, base } = played ? playFreely(writeMidi(truth), 3000 + i, { meter }) : { file: withoutEvents(writeMidi(truth), "timeSignature"), base: 0 };
      let read: ReturnType<typeof readMidiWithReport>;
      try {
        read = readMidiWithReport(file, f.replace(/\.\w+$/, ".mid"));
      } catch (err) {
        t.errors++;
        t.total += scoreNotes(truth).flat().filter((n) => !n.grace).length;
        t.worst.push({ name: f.replace(/\.\w+$/, ""), share: 0 });
        if (verbose) console.log(`${f}: ${played ? `base ${base.toFixed(0)} bpm` : "on the grid"}; not read (${err instanceof Error ? err.message : String(err)})`);
        return;
      }
      const { score, report } = read;
      const m = matchBeats(truth, score);
      t.total += m.total;
      t.onBeat += m.onBeat;
      if (m.meter) t.meter++;
      if (m.downbeat) t.downbeat++;
      t.barlines += m.barlines;
      if (report.tracked) t.tracked++;
      t.worst.push({ name: f.replace(/\.\w+$/, ""), share: m.onBeat / m.total });
      if (verbose) console.log(`${f}: ${played ? `base ${base.toFixed(0)} bpm` : "on the grid"}; ${(m.onBeat / m.total).toFixed(3)} on the beat; meter ${m.meter ? "right" : "wrong"} (${report.meter}), downbeat ${m.downbeat ? "right" : "wrong"}, barlines ${m.barlines.toFixed(2)}${report.tracked ? `; tracked ${report.tracked.low}–${report.tracked.high} bpm` : ""}`);
    });
    const worst = t.worst.sort((a, b) => a.share - b.share).slice(0, 3).map((w) => `${w.name} ${w.share.toFixed(3)}`).join(", ");
    console.log(`${label}: ${files.length} chorales, ${t.total} notes: on their beat and subdivision ${pct(t.onBeat, t.total)}; meter right ${t.meter}/${files.length}, downbeat right ${t.downbeat}/${files.length}, barlines ${(t.barlines / files.length).toFixed(3)} (mean share); beat tracked in ${t.tracked}${t.errors ? `; ${t.errors} not read` : ""}; worst ${worst}`);
    if (meter && (t.onBeat / t.total < 0.95 || t.downbeat < files.length * 0.95)) failed = true;
  }
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

/**
 * The reduction's truth moved to the MIDI reading's time: a first measure that opens with rests
 * is read from MIDI as a pickup, and every note comes earlier by the rests' length.
 */
function alignedTo(r: Reduction, sketch: Score): Reduction {
  const first = (ns: readonly { onset: Fraction }[]): Fraction => ns.reduce((a, n) => (lt(n.onset, a) ? n.onset : a), ns[0]!.onset);
  const shift = sub(first(r.truth.notes), first(sketchNotes(sketch)));
  return { ...r, truth: { ...r.truth, notes: r.truth.notes.map((n) => ({ ...n, onset: sub(n.onset, shift) })) } };
}

/** Notes in the line matched to their part ([in it, all]), where every part sounds: with two parts out of register order, and in order. */
interface ByOrder {
  readonly crossed: [number, number];
  readonly ordered: [number, number];
}

/**
 * Separation by register order: at each note of the reduction struck where every part sounds,
 * whether some part's lowest note lies under the highest of the part after it in score order (a
 * unison is in order), and whether the lines have the note in the line matched to its part (by
 * onset and key number: `scoreSeparationByTime`).
 */
function byRegisterOrder(r: Reduction, lines: readonly Line[]): ByOrder {
  const { inLine } = scoreSeparationByTime(r, lines);
  const parts = r.truth.parts.length;
  const out: ByOrder = { crossed: [0, 0], ordered: [0, 0] };
  eachOnset(r, (struck, active) => {
    const low = new Array<number>(parts).fill(Infinity);
    const high = new Array<number>(parts).fill(-Infinity);
    for (const i of active) {
      const n = r.truth.notes[i]!;
      low[n.part] = Math.min(low[n.part]!, midiOf(n.pitch));
      high[n.part] = Math.max(high[n.part]!, midiOf(n.pitch));
    }
    if (low.some((m) => m === Infinity)) return;
    const tally = low.some((m, p) => p + 1 < parts && m < high[p + 1]!) ? out.crossed : out.ordered;
    for (const i of struck) {
      tally[1]++;
      if (inLine[i]) tally[0]++;
    }
  });
  return out;
}

/**
 * The reduction's notes (by index), the moments they are struck at, in turn: those struck then,
 * and those sounding then (struck then or held from before).
 */
function eachOnset(r: Reduction, visit: (struck: readonly number[], active: readonly number[]) => void): void {
  const notes = r.truth.notes;
  const order = notes.map((_, i) => i).sort((a, b) => cmp(notes[a]!.onset, notes[b]!.onset));
  let active: number[] = [];
  let j = 0;
  while (j < order.length) {
    const t = notes[order[j]!]!.onset;
    const struck: number[] = [];
    while (j < order.length && eq(notes[order[j]!]!.onset, t)) struck.push(order[j++]!);
    active = [...active.filter((i) => lt(t, add(notes[i]!.onset, notes[i]!.duration))), ...struck];
    visit(struck, active);
  }
}

/** Notes of the reduction in their own part ([in it, all]): struck with a neighbouring part on their other side, and the rest. */
interface ByCrossing {
  readonly crossed: [number, number];
  readonly uncrossed: [number, number];
}

/**
 * For each note of the reduction, whether a part next to its own in score order sounds on its
 * other side as it is struck (the viola over the second violin), and whether the arrangement
 * plays it in its own part (`inPart`, as `fidelity` finds it).
 */
function byCrossing(r: Reduction, inPart: readonly boolean[]): ByCrossing {
  const notes = r.truth.notes;
  const out: ByCrossing = { crossed: [0, 0], uncrossed: [0, 0] };
  eachOnset(r, (struck, active) => {
    for (const i of struck) {
      const n = notes[i]!;
      const m = midiOf(n.pitch);
      const crossed = active.some((k) => {
        const o = notes[k]!;
        return (o.part === n.part - 1 && midiOf(o.pitch) < m) || (o.part === n.part + 1 && midiOf(o.pitch) > m);
      });
      const tally = crossed ? out.crossed : out.uncrossed;
      tally[1]++;
      if (inPart[i]) tally[0]++;
    }
  });
  return out;
}

/** The share of the reduction's notes that a reading of it has on the same staff (the upper parts on the upper staff; see `onOwnStaff`). */
function sameStaff(r: Reduction, sketch: Score): number {
  const truth = r.truth.notes.map((n) => ({ midi: midiOf(n.pitch), onset: n.onset, staff: n.staff }));
  return onOwnStaff(truth, sketchNotes(sketch)) / truth.length;
}

function performed(db: Database): void {
  console.log("\n## 7. dynamics and pedal read from a performance\n");
  const levelsByMeasure = (score: Score): (number | undefined)[] => {
    const part = score.parts[0]!;
    const marks = [...timedDirections(part)].flatMap(({ direction, onset }) => direction.items.flatMap((i) => (i.kind === "dynamics" && levelIndex(i.values[0]!) >= 0 ? [{ onset, level: levelIndex(i.values[0]!) }] : [])));
    let level: number | undefined;
    let k = 0;
    return measureStarts(part).map((t) => {
      while (k < marks.length && !lt(t, marks[k]!.onset)) level = marks[k++]!.level;
      return level;
    });
  };
  let same = 0;
  let near = 0;
  let measures = 0;
  const sketches = [
    ...readdirSync(`${root}piano`).filter((f) => /\.(mxl|musicxml)$/.test(f)).sort().slice(0, limit).map((f) => readScore(bytes(`${root}piano/${f}`), f)),
    ...readdirSync(`${root}quartets`).filter((f) => /\.mxl$/.test(f)).sort().slice(0, limit).map((f) => reduceToPiano(readScore(bytes(`${root}quartets/${f}`), f)).sketch),
  ];
  for (const sketch of sketches) {
    const a = levelsByMeasure(sketch);
    if (a.every((x) => x === undefined)) continue;
    const b = levelsByMeasure(readMidiWithReport(writeMidi(sketch), "x.mid").score);
    a.forEach((x, i) => {
      const y = b[i];
      if (x === undefined || y === undefined) return;
      measures++;
      if (x === y) same++;
      if (Math.abs(x - y) <= 1) near++;
    });
  }
  console.log(`marked sketches through MIDI and back: the same level in force in ${(same / measures).toFixed(3)} of ${measures} measures (${(near / measures).toFixed(3)} within one level)`);
  const ensembles = ["string-quartet", "woodwind-quintet", "brass-quintet", "symphony-orchestra"];
  let agree = 0;
  let halfBars = 0;
  let found = 0;
  let total = 0;
  let warnings = 0;
  let pedals = 0;
  let levels = 0;
  const files = readdirSync(`${root}midi`).filter((f) => f.startsWith("pianomidi-")).sort().slice(0, limit);
  for (const f of files) {
    const { score, report } = readMidiWithReport(bytes(`${root}midi/${f}`), f);
    levels += report.dynamics.reduce((n, d) => n + d.marks, 0);
    pedals += report.pedal ?? 0;
    for (const e of ensembles) {
      const [a] = arrangeAnalysed(score, analyse(score), ensemble(db, e), db);
      const audit = auditMusic(score, a!.score, db);
      agree += audit.bass.agree;
      halfBars += audit.bass.halfBars;
      found += audit.expression.found;
      total += audit.expression.total;
      warnings += audit.checkFindings.length;
    }
  }
  console.log(`${files.length} piano-midi.de files: ${levels} dynamic levels and ${pedals} pedal presses read`);
  console.log(`arranged for ${ensembles.join(", ")}: the sketch's marks found ${found} of ${total}; lowest pitch class lowest ${(agree / halfBars).toFixed(4)} of half-bars; ${warnings} \`tutti check\` warnings`);
}

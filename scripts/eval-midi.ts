/**
 * MIDI evaluation (`npm run eval:midi`) over the whole corpus:
 *  1. the piano-midi.de files: notes kept, merged duplicates, meter and key (the file's, and the key
 *     Krumhansl–Schmuckler estimates from the notes alone), triplet beats, XSD validity;
 *  2. the chorales: MusicXML → MIDI → MusicXML, onsets and pitches, and spelling;
 *  3. the chorales transposed up a major second and humanised (±12 ticks at 480 PPQ, velocities
 *     40–110), with and without key signatures in the file (without: the key is estimated);
 *  4. the two-staff piano pieces written as one MIDI track and read back: notes on their own staff.
 *
 *   npx tsx scripts/eval-midi.ts [--limit N]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseMidi, writeMidi as encodeMidi } from "midi-file";
import { scoreNotes } from "../src/model/notes.js";
import { midiOf } from "../src/model/pitch.js";
import type { Score } from "../src/model/score.js";
import { readScore } from "../src/read/index.js";
import { readMidiWithReport } from "../src/read/midi.js";
import { estimateKey } from "../src/read/spelling.js";
import { writeMidi } from "../src/write/midi.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { humanise, matchNotes, transposeScore } from "../test/support/midi.js";
import { xsdErrors } from "../test/support/xsd.js";

const SHARED = "/work/shared/corpus/";
const LOCAL = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const root = existsSync(SHARED) ? SHARED : LOCAL;
const args = process.argv.slice(2);
const limit = args.includes("--limit") ? Number(args[args.indexOf("--limit") + 1]) : Infinity;
const bytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));
const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(2)} %`;
const KEYS = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"];

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

const chorales = readdirSync(`${root}chorales`).filter((f) => /\.(mxl|musicxml|xml)$/.test(f)).sort().slice(0, limit);
const tally = (): { total: number; found: number; spelled: number } => ({ total: 0, found: 0, spelled: 0 });
const rt = tally();
const hum = tally();
const humNoKey = tally();
const t0 = Date.now();
chorales.forEach((f, i) => {
  const a = readScore(bytes(`${root}chorales/${f}`), f);
  const add = (t: ReturnType<typeof tally>, b: Score, ref: Score = a): void => {
    const m = matchNotes(ref, b);
    t.total += m.total;
    t.found += m.onsetAndPitch;
    t.spelled += m.spelled;
  };
  add(rt, readMidiWithReport(writeMidi(a), "rt.mid").score);
  const up = transposeScore(a, 1, 2);
  const played = humanise(writeMidi(up), 1000 + i);
  add(hum, readMidiWithReport(played, "played.mid").score, up);
  add(humNoKey, readMidiWithReport(withoutKeys(played), "played.mid").score, up);
});
console.log(`\n## 2. chorales: MusicXML → MIDI → MusicXML (${chorales.length} files, ${rt.total} notes)\n`);
console.log(`onset and pitch: ${pct(rt.found, rt.total)}; spelled as in the score: ${pct(rt.spelled, rt.total)}`);
console.log(`\n## 3. chorales up a major second, humanised (±12 ticks, velocities 40–110)\n`);
console.log(`with key signatures: onset and pitch ${pct(hum.found, hum.total)}, spelled ${pct(hum.spelled, hum.total)}`);
console.log(`key signatures removed (key estimated): onset and pitch ${pct(humNoKey.found, humNoKey.total)}, spelled ${pct(humNoKey.spelled, humNoKey.total)}`);
console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);

console.log("\n## 4. two-staff piano parts as one MIDI track: notes read back on their own staff\n");
for (const f of readdirSync(`${root}piano`).filter((x) => /\.(mxl|musicxml|xml)$/.test(x)).sort()) {
  const a = readScore(bytes(`${root}piano/${f}`), f);
  if (a.parts.length !== 1 || a.parts[0]!.staves !== 2) continue;
  const b = readMidiWithReport(writeMidi(a), "p.mid").score;
  const staffOf = new Map<string, number[]>();
  for (const n of scoreNotes(b)[0] ?? []) {
    const k = `${midiOf(n.pitch!)}@${n.onset.n / n.onset.d}`;
    staffOf.set(k, [...(staffOf.get(k) ?? []), n.staff]);
  }
  let total = 0;
  let same = 0;
  for (const n of scoreNotes(a)[0]!) {
    if (!n.pitch || n.grace) continue;
    total++;
    const list = staffOf.get(`${midiOf(n.pitch)}@${n.onset.n / n.onset.d}`);
    const i = list?.indexOf(n.staff) ?? -1;
    if (i >= 0) {
      same++;
      list!.splice(i, 1);
    }
  }
  console.log(`${f}: ${pct(same, total)} of ${total} notes`);
}

/** The same file with every key-signature event taken out. */
function withoutKeys(file: Uint8Array): Uint8Array {
  const data = parseMidi(file);
  const tracks = data.tracks.map((t) => {
    let carry = 0;
    const out: typeof t = [];
    for (const e of t) {
      if (e.type === "keySignature") {
        carry += e.deltaTime;
        continue;
      }
      out.push({ ...e, deltaTime: e.deltaTime + carry });
      carry = 0;
    }
    return out;
  });
  return new Uint8Array(encodeMidi({ header: data.header, tracks }));
}

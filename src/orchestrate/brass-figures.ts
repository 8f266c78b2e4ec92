/**
 * A keyboard's broken chords in quick notes are not brass writing. An arranger gives a brass part
 * the chord each beat breaks, struck on the beat and held through it, and leaves the figuration to
 * strings and woodwinds (Rimsky-Korsakov: the brass hold the harmony); in a brass quintet, where
 * there are none, the other brass hold the chord's notes. Where a brass part plays such a figure
 * that is not the tune, for two beats or more (K. 545 for brass quintet, m. 11: the tuba's
 * G2 B2 D3 G3 G2 C3 E3 G3 in 16ths), each beat filled by 16ths or faster that break one chord
 * from its lowest note becomes that note, held through the beat. The chord's other notes that no
 * other part sounds during the beat are held by a free brass part, at the figure's pitch or an
 * octave from it, in its comfortable range, above the held note and clear of mud over it, and
 * under the tune. A beat whose notes cannot all be kept so stays as the sketch has it; so does
 * every part of an ensemble with strings or woodwinds to take figures (there the assignment and
 * the doublings already leave figures to them).
 */
import type { LineNote } from "../analyse/types.js";
import { add, eq, type Fraction, frac, gt, le, lt, sub } from "../model/fraction.js";
import { midiOf, nameOf, pitchClass, transpose } from "../model/pitch.js";
import { muddy } from "./low-interval.js";
import { type Beat, type PhraseWork, type Placement, soundingMidi, SUSTAINED, without } from "./plan.js";
import type { Slot } from "./slots.js";
import { registerOrder } from "./assign.js";

/** A figure's notes are this long or shorter: 16ths and faster. */
const QUICK = frac(1, 16);

/** A beat of a line's figure: its notes (indexes), the first of which is held. */
interface FigureBeat extends Beat {
  readonly ks: readonly number[];
}

/** A free part's choice for a beat: rest, or note `k` of the figure at key number `m`, `shift` from it. */
type Hold = { readonly k: number; readonly m: number; readonly shift: number } | undefined;

/** Turns the quick broken chords of the phrase's brass parts into held chords (see the file comment). */
export function holdBrassFigures(work: PhraseWork): void {
  if (work.slots.some((s) => s.instrument.family === "strings" || s.instrument.family === "woodwind")) return;
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const added: Placement[] = [];
  // Each placement is replaced as it is done, so that the next sees what sounds now.
  work.placements.forEach((p, i) => {
    const slot = work.slots[p.slot]!;
    if (slot.instrument.family !== "brass" || p.line === melody || p.line >= SUSTAINED) return;
    const done: FigureBeat[] = [];
    for (const run of figureRuns(p.notes, (k) => soundingMidi(p, k), work.beats)) {
      const holds = holdersFor(work, p, run, added);
      if (!holds) continue;
      done.push(...run);
      const [bass, ...others] = inRegisterOrder(work, [heldBass(p, run), ...holds]);
      added.push(bass!, ...others);
      const names = [...new Set(others.map((h) => work.slots[h.slot]!.name))];
      work.report.colour.push(`m. ${work.label(run[0]!.from)}: ${slot.name}'s quick figure held as its chords, a beat at a time: ${work.slots[bass!.slot]!.name} the bass${names.length ? `, ${names.join(" and ")} the other notes` : ""}`);
    }
    for (const b of done) {
      for (const k of b.ks.slice(1)) work.report.leftOut.push({ measure: work.label(p.notes[k]!.onset), pitch: nameOf(p.notes[k]!.pitch), reason: HELD });
    }
    work.placements[i] = without(p, new Set(done.flatMap((b) => b.ks)));
  });
  work.placements.splice(0, work.placements.length, ...work.placements.filter((p) => p.notes.length > 0), ...added);
}

/** A run's first notes, each held through its beat: the chord's bass. */
function heldBass(p: Placement, run: readonly FigureBeat[]): Placement {
  const fixes = new Map<number, number>();
  run.forEach((b, j) => {
    const f = p.fixes.get(b.ks[0]!);
    if (f !== undefined) fixes.set(j, f);
  });
  return { ...p, notes: run.map((b) => ({ ...p.notes[b.ks[0]!]!, duration: sub(b.to, b.from) })), fixes };
}

/**
 * The held bass and the held notes over it (highest first) dealt to their parts in register
 * order, the highest notes to the part highest in the ensemble, where each part plays all it takes
 * in its comfortable range (Haydn's op. 74/1 ii for brass quintet, m. 14: the horn holds D4 over
 * the trombone's B3, not the trombone D4 over the horn's B3); else as they are.
 */
function inRegisterOrder(work: PhraseWork, [bass, ...holds]: readonly Placement[]): Placement[] {
  const rank = new Map(registerOrder(work.slots).map((s, r) => [s.index, r]));
  const voices = [...holds, bass!];
  const parts = voices.map((v) => v.slot).sort((a, b) => rank.get(a)! - rank.get(b)!);
  const comfortable = (v: Placement, slot: Slot): boolean => v.notes.every((_, k) => soundingMidi(v, k) >= slot.comfortable.low && soundingMidi(v, k) <= slot.comfortable.high);
  if (!voices.every((v, i) => comfortable(v, work.slots[parts[i]!]!))) return [bass!, ...holds];
  const dealt = voices.map((v, i) => ({ ...v, slot: parts[i]! }));
  return [dealt[dealt.length - 1]!, ...dealt.slice(0, -1)];
}

/** Whether a beat's notes (`ks`, sounding at `midiAt`) fill it in quick notes, one after the other, breaking one chord from its lowest note. */
function figureBeat(notes: readonly LineNote[], midiAt: (k: number) => number, b: Beat, ks: readonly number[]): boolean {
  if (ks.length < 3) return false;
  const ns = ks.map((k) => notes[k]!);
  if (!eq(ns[0]!.onset, b.from) || !eq(add(ns[ns.length - 1]!.onset, ns[ns.length - 1]!.duration), b.to)) return false;
  if (!ns.every((n, j) => le(n.duration, QUICK) && (j === 0 || eq(add(ns[j - 1]!.onset, ns[j - 1]!.duration), n.onset)))) return false;
  const ms = ks.map(midiAt);
  if (ms.some((m) => m < ms[0]!)) return false;
  const pcs = [...new Set(ms.map(pitchClass))];
  // One chord: two pitch classes at least, none a step from another.
  return pcs.length >= 2 && pcs.every((a, i) => pcs.slice(i + 1).every((c) => Math.min((a - c + 12) % 12, (c - a + 12) % 12) >= 3));
}

/** Why a figure's note is not played: its part holds the chord instead. */
const HELD = "a brass part holds the chord its quick figure breaks";

/** Lines of the held chord notes: SUSTAINED + HOLDERS + the part's index (sustainHarmony's are SUSTAINED + k, k < HOLDERS). */
const HOLDERS = 100;

/**
 * The runs of two or more beats in a row that a line's notes (sounding at `midiAt`) fill, each,
 * with one chord broken in quick notes from its lowest note: each beat and its notes (indexes).
 */
export function figureRuns(notes: readonly LineNote[], midiAt: (k: number) => number, beats: readonly Beat[]): FigureBeat[][] {
  const runs: FigureBeat[][] = [];
  let run: FigureBeat[] = [];
  for (const b of beats) {
    const ks = notes.flatMap((n, k) => (!lt(n.onset, b.from) && lt(n.onset, b.to) ? [k] : []));
    const fits = figureBeat(notes, midiAt, b, ks);
    const last = run[run.length - 1];
    if (fits && last && eq(last.to, b.from)) {
      run.push({ ...b, ks });
      continue;
    }
    if (run.length >= 2) runs.push(run);
    run = fits ? [{ ...b, ks }] : [];
  }
  if (run.length >= 2) runs.push(run);
  return runs;
}

/** A line's notes with each beat of its figure runs (`runs`, see `figureRuns`) its first note, held through the beat. */
export function heldOnBeats(notes: readonly LineNote[], runs: readonly (readonly FigureBeat[])[]): LineNote[] {
  const first = new Map(runs.flat().map((b) => [b.ks[0]!, b]));
  const dropped = new Set(runs.flat().flatMap((b) => b.ks.slice(1)));
  return notes.flatMap((n, k) => {
    if (dropped.has(k)) return [];
    const b = first.get(k);
    return [b ? { ...n, duration: sub(b.to, b.from) } : n];
  });
}

/**
 * The free brass parts' held notes that keep a run's chords whole where its part holds each
 * beat's first note: where some beat has a note whose pitch class no other part sounds during it,
 * the brass parts free through the run hold, each beat, the chord's other notes (at the figure's
 * pitch or an octave from it, in their comfortable ranges, above the held note and clear of mud
 * over it, under the tune, higher parts on higher notes, each moving as little as it can from its
 * note before), every such pitch class among them. No holders where every beat's notes sound
 * anyway; undefined where the free parts cannot hold some beat's missing notes.
 */
function holdersFor(work: PhraseWork, p: Placement, run: readonly FigureBeat[], added: readonly Placement[]): Placement[] | undefined {
  const all = [...work.earlier, ...work.placements, ...added];
  const from = run[0]!.from;
  const to = run[run.length - 1]!.to;
  const during = (q: Placement, k: number, span: Beat): boolean => lt(q.notes[k]!.onset, span.to) && gt(add(q.notes[k]!.onset, q.notes[k]!.duration), span.from);
  const sounds = (pc: number, span: Beat): boolean => all.some((q) => q.slot !== p.slot && q.notes.some((_, k) => during(q, k, span) && pitchClass(soundingMidi(q, k)) === pc));
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const tune = all.filter((q) => q.line === melody && q.principal);
  // Each beat's other notes (one of each pitch class, the first struck), and whether it lacks one.
  const chords = run.map((b) => {
    const bass = soundingMidi(p, b.ks[0]!);
    const notes = new Map<number, number>();
    for (const k of b.ks.slice(1)) {
      const pc = pitchClass(soundingMidi(p, k));
      if (pc !== pitchClass(bass) && !notes.has(pc)) notes.set(pc, k);
    }
    const missing = [...notes.keys()].filter((pc) => !sounds(pc, b));
    const ceiling = Math.min(Infinity, ...tune.flatMap((q) => q.notes.flatMap((_, k) => (during(q, k, b) ? [soundingMidi(q, k)] : []))));
    return { b, bass, notes, missing, ceiling };
  });
  if (chords.every((c) => c.missing.length === 0)) return [];
  const free = registerOrder(work.slots).filter(
    (s) => s.index !== p.slot && s.instrument.family === "brass" && !s.instrument.orchestration?.decorative && !all.some((q) => q.slot === s.index && q.notes.some((_, k) => during(q, k, { from, to }))),
  );
  if (free.length === 0) return undefined;
  const lines: LineNote[][] = free.map(() => []);
  // Each part starts from its last note ending within a half note before the run (Debussy's The
  // Snow is Dancing from MIDI for brass quintet, m. 69: the horn goes on from its C♯4, not to C♯3).
  const lastBefore = (slot: number): number | undefined => {
    let best: { end: Fraction; m: number } | undefined;
    for (const q of all) {
      if (q.slot !== slot) continue;
      q.notes.forEach((n, k) => {
        const end = add(n.onset, n.duration);
        if (!gt(end, from) && !lt(end, sub(from, frac(1, 2))) && (!best || gt(end, best.end))) best = { end, m: soundingMidi(q, k) };
      });
    }
    return best?.m;
  };
  let previous: (number | undefined)[] = free.map((s) => lastBefore(s.index));
  for (const { b, bass, notes, missing, ceiling } of chords) {
    // Each free part's choices: rest, or one of the chord's notes it plays well there.
    const choices = free.map((s): Hold[] => [
      undefined,
      ...[...notes.values()].flatMap((k) =>
        [0, 12, -12].flatMap((shift) => {
          const m = soundingMidi(p, k) + shift;
          return m >= s.comfortable.low && m <= s.comfortable.high && m > bass && m < ceiling && !muddy(bass, m) ? [{ k, m, shift }] : [];
        }),
      ),
    ]);
    let best: { cost: number; pick: Hold[] } | undefined;
    const pick: Hold[] = [];
    const search = (j: number): void => {
      if (j === free.length) {
        const played = pick.filter((x) => x !== undefined);
        const pcs = new Set(played.map((x) => pitchClass(x.m)));
        if (pcs.size < played.length || missing.some((pc) => !pcs.has(pc))) return;
        // Higher parts on higher notes.
        if (played.some((x, i) => i > 0 && x.m >= played[i - 1]!.m)) return;
        const cost = pick.reduce((c, x, i) => c + (x ? Math.abs(x.m - (previous[i] ?? x.m)) + Math.abs(x.shift) / 12 : previous[i] !== undefined ? 1 : 0), 0) + 3 * (notes.size - pcs.size);
        if (!best || cost < best.cost) best = { cost, pick: [...pick] };
        return;
      }
      for (const c of choices[j]!) {
        pick[j] = c;
        search(j + 1);
      }
    };
    search(0);
    const chosen = (best as { pick: Hold[] } | undefined)?.pick;
    if (!chosen) return undefined;
    chosen.forEach((x, i) => {
      if (!x) return;
      const n = p.notes[x.k]!;
      const semis = x.m - midiOf(n.pitch);
      const line = lines[i]!;
      const last = line[line.length - 1];
      if (last && midiOf(last.pitch) === x.m && eq(add(last.onset, last.duration), b.from)) line[line.length - 1] = { ...last, duration: add(last.duration, sub(b.to, b.from)) };
      else line.push({ onset: b.from, duration: sub(b.to, b.from), pitch: semis ? transpose(n.pitch, (semis / 12) * 7, semis) : n.pitch, source: n.source });
    });
    previous = chosen.map((x) => x?.m);
  }
  return free.flatMap((s, i) => (lines[i]!.length ? [{ phrase: work.phrase.index, slot: s.index, line: SUSTAINED + HOLDERS + s.index, notes: lines[i]!, shift: 0, fixes: new Map(), principal: false, voice: 1 as const }] : []));
}

/**
 * From an analysed sketch and an ensemble to a full score and an explanation of it.
 *
 * Phrase by phrase, in stages: assign every line a principal part (assign.ts, by the costs of
 * costs.ts; a repeated tune changes colour, colour.ts), place what no part could take (fill.ts),
 * double melody and bass in the free parts as the style and the dynamic ask (double.ts), check the
 * balance: the melody must carry over each accompanying line at the marked dynamic (balance.ts),
 * hold the harmony in the horns at f (harmony.ts), take a tune too high for the ensemble's top
 * part down with the texture under it (lower-phrase.ts), keep parts in their comfortable
 * registers (comfort.ts), the bass the bass (bass.ts), the timpani on tonic and dominant (timpani.ts), and
 * leave out of the doublings what their parts cannot play well (comfort.ts). Then grace notes go
 * with the notes they lead to (graces.ts), and the plan is written out, one part per instrument in
 * score order (write-arrangement.ts), each for the key of its instrument that suits the piece
 * where the ensemble offers one (instrument-keys.ts: trumpets in C, clarinets in A).
 */
import type { Analysis, LineNote, Phrase } from "../analyse/types.js";
import { realiseChordSymbols } from "../analyse/chord-symbols.js";
import { analyse } from "../analyse/index.js";
import { sourceEvent } from "../analyse/sketch-notes.js";
import type { Database, Ensemble } from "../instruments/index.js";
import { framesOf, type MeasureFrame, timesInForce } from "../model/build.js";
import { add, eq, type Fraction, frac, gt, lt, max, mul } from "../model/fraction.js";
import { midiOf, nameOf, pitchClass } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import { lastAtOrBefore, timeKey } from "../model/search.js";
import { timedDirections } from "../model/timeline.js";
import { secondsPerWhole, singleSignature } from "../model/time.js";
import { assertNotation, shortestValue } from "../model/notation-check.js";
import { tupletSpans } from "../model/tuplets.js";
import { TupleMap, TupleSet } from "../util/keyed.js";
import { assign, type Assignment, placePrincipals, registerOrder } from "./assign.js";
import { balance } from "./balance.js";
import { completeBass, guardBass, highestBelow, isBassInstrument, type LowestIn, lowestIn, settleBass } from "./bass.js";
import { ColourMemory, RECOLOUR_PENALTY } from "./colour.js";
import { holdBrassFigures } from "./brass-figures.js";
import { handOverPoorNotes, keepComfortable, leaveOutOfDoublings, playsPoorly } from "./comfort.js";
import { dynamicOfNote, sketchExpression, sourceScope } from "./expression.js";
import type { AssignContext, Segment } from "./costs.js";
import { doubleInFreeParts } from "./double.js";
import { dovetailRuns } from "./dovetail.js";
import { exchangeLines } from "./exchange.js";
import { fillLoose } from "./fill.js";
import { chooseByKey, chooseByRange, keyNames, writeInKeys } from "./instrument-keys.js";
import { placeGraces } from "./graces.js";
import { holdInIdleParts, sustainHarmony } from "./harmony.js";
import { lowerPhrase, textureDown } from "./lower-phrase.js";
import { type Around, type Arrangement, type ArrangeOptions, DERIVED, type DoubledBefore, heldPast, isDerivedBass, isSolo, type PhraseReport, type PhraseReportDraft, type PhraseWork, type Placement, type Plan, type Softened, type Style, SUSTAINED } from "./plan.js";
import { round, tacetReason } from "./report.js";
import { HELD_ALREADY, keepReadable, keepStoppable, leaveLoneEntries, LONE } from "./readable.js";
import { rhythmCheck, type Writable } from "./rhythm.js";
import { beatsIn, chordNotes, notatedVoiceOf, phraseSegmenter, phraseStrays } from "./segments.js";
import { type Level, levelOf, type Slot, slotsOf } from "./slots.js";
import { strikeTimpani } from "./timpani.js";
import { collaParte, orderTwins, separateTwins } from "./twins.js";
import { underlayLyrics } from "./underlay.js";
import { writeArrangement } from "./write-arrangement.js";

/**
 * Arranges an analysed sketch for an ensemble; returns the best arrangement first, then
 * alternatives. Throws a `TuttiError` ("BAD_NOTATION") rather than return a score whose notation
 * is not whole (see `assertNotation`): that would be a bug to fix, not a score to write.
 * @example arrangeAnalysed(sketch, analyse(sketch), ensemble(db, "string-quartet"), db)[0].score.parts.length // 4
 */
export function arrangeAnalysed(sketch: Score, analysis: Analysis, ens: Ensemble, db: Database, options: ArrangeOptions = {}): Arrangement[] {
  // Which key of an instrument a part is for (instrument-keys.ts): clarinets in A in sharp keys,
  // named so from the start and written so at the end (arranged again under the usual name where
  // their notes lie worse there); trumpets in C where the B♭ trumpet's part lies too high,
  // arranged again.
  const declined = new Set<number>();
  for (;;) {
    const byKey = chooseByKey(sketch, ens, db, declined);
    const names = keyNames(db, byKey);
    const first = arrangeFor(sketch, analysis, ens, db, options, names);
    const byRange = chooseByRange(first[0]!.score, ens, db);
    const results = byRange.reasons.length ? arrangeFor(sketch, analysis, byRange.ensemble, db, options, names) : first;
    const inKeys = results.map((r) => writeInKeys(r.score, byKey, db));
    const worse = inKeys.flatMap((w) => w.declined);
    if (worse.length) {
      for (const k of worse) declined.add(k);
      continue;
    }
    const instruments = [...byRange.reasons, ...byKey.reasons];
    return instruments.length ? results.map((r, i) => ({ score: inKeys[i]!.score, report: { ...r.report, instruments } })) : results;
  }
}

/** `arrangeAnalysed` for an ensemble whose instruments are chosen, its parts named `names` where given. */
function arrangeFor(sketch: Score, analysis: Analysis, ens: Ensemble, db: Database, options: ArrangeOptions, names: ReturnType<typeof keyNames>): Arrangement[] {
  const style = options.style ?? "rich";
  const count = Math.max(1, options.alternatives ?? 1);
  const slots = slotsOf(db, ens).map((s) => ({ ...s, ...names.get(s.index) }));
  const results: Arrangement[] = [];
  // Nothing shorter than the sketch writes, whatever the parts make of it (see `assertNotation`).
  const shortest = shortestValue(sketch);
  // Each alternative avoids the melody parts the better ones chose.
  const used = new TupleSet<[line: number, slot: number]>();
  for (let k = 0; k < count; k++) {
    const penalty = (line: number, slot: number): number => (used.has([line, slot]) ? 4 : 0);
    let plan = planArrangement(sketch, analysis, slots, style, penalty);
    // In a chamber ensemble (one player to a part), a player who doubles only at forte and so
    // would sit out the whole piece, or only hold the harmony where it would rest (a brass
    // quintet's trombone under a four-part chorale), doubles by habit at any dynamic instead; an
    // orchestra's brass may rest through a quiet piece.
    const chamber = style === "rich" && slots.every(isSolo);
    const idle = chamber ? slots.filter((s) => s.instrument.orchestration?.forteOnly && plan.placements.every((p) => p.slot !== s.index || p.line >= SUSTAINED)) : [];
    if (idle.length) plan = planArrangement(sketch, analysis, slots, style, penalty, new Set(idle.map((s) => s.index)));
    for (const p of plan.placements) if (p.principal && plan.melodyLines.has(p.line)) used.add([p.line, p.slot]);
    const score = underlayLyrics(writeArrangement(sketch, slots, plan, ens), slots);
    assertNotation(score, shortest ? { shortest } : {}, sketch.meta.source);
    results.push({ score, report: { ...plan.report, ensemble: ens.id, style, rank: 0, cost: plan.cost } });
  }
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.report.cost - b.r.report.cost || a.i - b.i)
    .map(({ r }, i) => ({ ...r, report: { ...r.report, rank: i + 1 } }));
}

/**
 * Arranges a sketch: its chord symbols realised where it is a lead sheet (see
 * analyse/chord-symbols.ts; `options.chordSymbols: false` leaves them), analysed, then arranged
 * as `arrangeAnalysed` does; the report says what was realised.
 * @example arrangeSketch(leadSheet, ensemble(db, "string-quartet"), db)[0].report.chordSymbols // "40 chord symbols, mm. 2–35, realised as a bass and two inner voices (…)"
 */
export function arrangeSketch(sketch: Score, ens: Ensemble, db: Database, options: ArrangeOptions = {}): Arrangement[] {
  const realised = options.chordSymbols === false ? { score: sketch, chords: 0 } : realiseChordSymbols(sketch);
  const results = arrangeAnalysed(realised.score, analyse(realised.score), ens, db, options);
  if (realised.chords === 0) return results;
  const where = realised.measures ? `, mm. ${realised.measures[0]}–${realised.measures[1]}` : "";
  const chordSymbols = `${realised.chords} chord symbol${realised.chords === 1 ? "" : "s"}${where}, realised as a bass and two inner voices (the sketch has nothing under its tune there)`;
  return results.map((r) => ({ ...r, report: { ...r.report, chordSymbols } }));
}

/** Whether the ensemble has strings or woodwinds, to take running lines at p from its brass (see `idiomCost`). */
const hasRunners = (slots: readonly Slot[]): boolean => slots.some((s) => s.instrument.family === "strings" || s.instrument.family === "woodwind");

/**
 * The part that had each line, as the assignment's continuity sees it, where the bass has moved to
 * another line while the line that was the bass goes on in another role (the separator's lines
 * change where a left hand's oom-pah splits into its bass and its after-beats): the new bass line
 * counts as had by the part that carried the bass, so that the bass part follows the bass, not the
 * line (The Entertainer for orchestra, m. 4: the cellos keep the bass, not the after-beats that
 * were their line). So too where the bass was the harmonic bass of a figure (see segments.ts) and
 * the figure is now the bass line itself (Clementi op. 36/1 ii for brass quintet, m. 3: the tuba
 * held the triplets' bass, then plays the triplets; the horn, whose line they had been, had kept
 * them as the bass). Where the old bass line has stopped (a cello resting while the viola is
 * lowest), each line keeps its own part.
 */
function bassStays(previous: ReadonlyMap<number, number>, segments: readonly Segment[], last: { line: number; slot: number } | undefined): ReadonlyMap<number, number> {
  const bass = segments.find((s) => s.role === "bass")?.line;
  if (!last || bass === undefined || bass === last.line) return previous;
  const source = isDerivedBass(last.line) ? last.line - DERIVED : undefined;
  if (bass !== source && !segments.some((s) => s.line === last.line)) return previous;
  return new Map(previous).set(bass, last.slot);
}

/** A line's notes in the phrase after the pi-th, where that phrase is scored at the same level (see `PhraseWork.ahead`). */
function linesAhead(analysis: Analysis, pi: number): (line: number) => readonly LineNote[] {
  const [now, next] = [analysis.phrases[pi]!, analysis.phrases[pi + 1]];
  if (!next || levelOf(next.dynamic) !== levelOf(now.dynamic)) return () => [];
  return (line) => (analysis.lines.find((l) => l.index === line)?.notes ?? []).filter((n) => !lt(n.onset, next.start) && lt(n.onset, next.end));
}

/** What the parts doubled in the latest phrase placed (see `PhraseWork.doubledBefore`); `report` is that phrase's, for its tune. */
function doubledLast(placements: readonly Placement[], report: PhraseReport | undefined): DoubledBefore {
  const shifts: DoubledBefore["shifts"] = new TupleMap();
  const parts = new Set<number>();
  const last = placements[placements.length - 1]?.phrase;
  const melody = report?.assignments.find((a) => a.role === "melody")?.line;
  for (let i = placements.length - 1; i >= 0 && placements[i]!.phrase === last; i--) {
    const p = placements[i]!;
    if (p.principal) continue;
    shifts.set([p.line, p.slot], p.shift);
    if (p.line === melody) shifts.set(["melody", p.slot], p.shift);
    parts.add(p.slot);
  }
  return { shifts, parts };
}

/** The phrase's bass line and the part the assignment gave it, if it has both. */
function bassCarried(segments: readonly Segment[], result: Assignment): { line: number; slot: number } | undefined {
  const line = segments.find((s) => s.role === "bass")?.line;
  const slot = line === undefined ? undefined : result.principal.get(line)?.slot;
  return line === undefined || slot === undefined ? undefined : { line, slot };
}

function planArrangement(sketch: Score, analysis: Analysis, slots: readonly Slot[], style: Style, penalty: AssignContext["penalty"], eager: ReadonlySet<number> = new Set()): Plan {
  const frames = framesOf(sketch.parts[0]!);
  const label = measureLabeller(frames);
  const spw = secondsPerWhole(sketch);
  const segmentsOf = phraseSegmenter(analysis, frames, slots.length, notatedVoiceOf(sketch));
  const straysOf = phraseStrays(analysis);
  const home = homeParts(analysis, slots);
  const writable = rhythmCheck(frames, tupletSpans(sketch), shortestValue(sketch));
  const all = [...analysis.lines.flatMap((l) => l.notes), ...analysis.strays];
  const lowest = lowestIn(all);
  const { halfBars, harmonyUnits } = measureUnits(frames);
  const below = highestBelow(all);
  const bassAt = bassOfHalfBar(lowest, halfBars);
  const delicate = delicacyWords(sketch);
  const expression = sketchExpression(sketch, frames.length ? add(frames.at(-1)!.start, frames.at(-1)!.duration) : frac(0));
  const dynamicOf = (n: LineNote): string | undefined => dynamicOfNote(expression, n.onset, sourceScope(sketch, n));
  const poorly = (slot: number, m: number, n: LineNote): boolean => playsPoorly(slots[slot]!, m, dynamicOf(n));
  const colla = collaParte(sketch);
  const firstBar = frames.find((f) => !f.implicit)?.duration ?? frac(1);
  // The piece's last bass note, for the key's mode where the sketch does not say it.
  const final = all.reduce<LineNote | undefined>((f, n) => (!f || gt(n.onset, f.onset) || (eq(n.onset, f.onset) && midiOf(n.pitch) < midiOf(f.pitch)) ? n : f), undefined);
  const lastBassPc = final ? pitchClass(midiOf(final.pitch)) : -1;
  const placements: Placement[] = [];
  const softened: Softened = new TupleSet();
  const colours = new ColourMemory(slots, analysis.phrases, frames.length);
  const measuresOf = (phrase: Phrase): string => `${label(phrase.start)}–${label(phrase.end.n > 0 ? add(phrase.end, { n: -1, d: 1024 }) : phrase.end)}`;
  // Where each phrase's melody sounds: a part balance marks down is marked down only there.
  const melodySpans = new Map<number, { start: Fraction; end: Fraction }>();
  const melodyLines = new Set<number>();
  const phraseReports: PhraseReport[] = [];
  const drafts = new Map<number, PhraseReportDraft>();
  let previous = new Map<number, number>();
  let lastBass: { line: number; slot: number } | undefined; // the latest bass line given a part, and its part
  let cost = 0;
  let leftOutTotal = 0;
  // Placements of earlier phrases that may still sound in this one (by index, in order): see `stillSounding`.
  let live: number[] = [];

  analysis.phrases.forEach((phrase, pi) => {
    const { lines, loose: chords } = chordNotes(segmentsOf(pi), (n) => lowest(n.onset, n.onset) === midiOf(n.pitch));
    const { segments, unwritable } = writableLines(lines, writable);
    if (segments.length === 0) return;
    const recolour = colours.repeatOf(segments, levelOf(phrase.dynamic));
    for (const s of segments) if (s.role === "melody") melodyLines.add(s.line);
    const melody = segments.find((s) => s.role === "melody");
    const tune = melody?.notes;
    if (tune?.length) melodySpans.set(phrase.index, softerSpan(phrase, tune, firstBar, expression.levels));
    const level = levelOf(phrase.dynamic);
    // A repeated tune pays for the instrument that had it last (see colour.ts).
    const again = recolour ? (line: number, slot: number): number => (line === recolour.line && recolour.avoid.has(slot) ? RECOLOUR_PENALTY : 0) : undefined;
    const phraseCost = penalty && again ? (line: number, slot: number): number => penalty(line, slot) + again(line, slot) : (penalty ?? again);
    live = live.filter((i) => stillSounding(placements[i]!, phrase.start));
    const ctx: AssignContext = { secondsPerWhole: spw, previous: bassStays(previous, segments, lastBass), home, level, runners: hasRunners(slots), bassAt, below, heldUntil: heldAcross(live.map((i) => placements[i]!), phrase.start, lowest), ...(phraseCost ? { penalty: phraseCost } : {}) };
    // Only placements still sounding near this phrase can meet its notes (`live`, above); the fill
    // stage sees (and may end early) them in `work.earlier`, copied back after.
    const result = assign(segments, slots, ctx);
    cost += result.total;
    const texture = delicate(phrase.start, add(phrase.start, firstBar)) ? thinner(level) : level;
    const work: PhraseWork = { phrase, segments, slots, style, level, texture, ctx, placements: [], earlier: live.map((i) => placements[i]!), softened, report: emptyReport(), label, writable, highPoint: colours.isHighPoint(phrase.index), eager, beats: beatsIn(frames, phrase.start, phrase.end), doubledBefore: doubledLast(placements, phraseReports[phraseReports.length - 1]), ahead: linesAhead(analysis, pi), ...(recolour ? { recolour } : {}) };
    placePrincipals(work, result);
    const tuneSlot = melody && result.principal.get(melody.line)?.slot;
    if (recolour && tuneSlot !== undefined && !recolour.avoid.has(tuneSlot)) {
      work.report.colour.push(`the tune of mm. ${recolour.of} again: in ${slots[tuneSlot]!.name} for a new colour (it was in ${recolour.was})`);
    }
    colours.remember(segments, tuneSlot, measuresOf(phrase));
    const loose: { line: number; notes: readonly LineNote[] }[] = [
      ...result.unplaced.map((line) => ({ line, notes: segments.find((s) => s.line === line)!.notes })),
      ...chords,
      ...unwritable,
      { line: 0, notes: straysOf(pi) },
    ];
    leftOutTotal += fillAndDouble(work, loose);
    sustainHarmony(work, frames, lowest, halfBars);
    lowerPhrase(work, lowest, halfBars, poorly);
    keepComfortable(work, lowest, halfBars, dynamicOf);
    guardBass(work, lowest, halfBars);
    leftOutTotal -= completeBass(work, bassCandidates(segments, [...straysOf(pi), ...chords.flatMap((c) => c.notes)], halfBars, (n) => sourceEvent(sketch, n)?.staff), lowest, harmonyUnits, (slot, m, n) => !poorly(slot.index, m, n));
    strikeTimpani(work, frames, lastBassPc);
    leaveOutOfDoublings(work, dynamicOf);
    dovetailRuns(work, poorly);
    exchangeLines(work, poorly);
    textureDown(work, lowest, halfBars, poorly);
    handOverPoorNotes(work, dynamicOf);
    holdInIdleParts(work, frames, lowest, halfBars);
    separateTwins(work, lowest, halfBars, poorly, colla);
    orderTwins(work, poorly);
    holdBrassFigures(work);

    live.forEach((i, k) => (placements[i] = work.earlier[k]!));
    for (let k = 0; k < work.placements.length; k++) live.push(placements.length + k);
    placements.push(...work.placements);
    previous = new Map([...previous, ...[...result.principal].map(([line, c]) => [line, c.slot] as [number, number])]);
    lastBass = bassCarried(segments, result) ?? lastBass;
    drafts.set(phrase.index, work.report);
    phraseReports.push({ phrase: phraseReports.length + 1, measures: measuresOf(phrase), dynamic: phrase.dynamic, ...work.report });
  });

  keepReadable(placements, writable, frames);
  settleBass(placements, slots, (p, k) => drafts.get(p.phrase)!.moved.push({ line: p.line, part: slots[p.slot]!.name, measure: label(p.notes[k]!.onset), pitch: nameOf(p.notes[k]!.pitch), octaves: -1 }));
  leftOutTotal += reportLeftOut(drafts, label, keepStoppable(placements, slots), HELD_ALREADY);
  reportLeftOut(drafts, label, leaveLoneEntries(placements, slots), LONE);
  const noteCount = analysis.lines.reduce((s, l) => s + l.notes.length, 0) + analysis.strays.length;
  const graces = placeGraces(analysis.graces, slots, placements);
  const playing = new Set(placements.map((p) => p.slot));
  return {
    placements,
    graces: graces.placed,
    softer: analysis.phrases.flatMap((ph) => {
      const span = melodySpans.get(ph.index);
      return span ? slots.filter((s) => softened.has([s.index, ph.index])).map((s) => ({ slot: s.index, ...span })) : [];
    }),
    melodyLines,
    cost: round(cost),
    report: {
      phrases: phraseReports,
      tacet: slots.filter((s) => !playing.has(s.index)).map((s) => ({ part: s.name, reason: tacetReason(s) })),
      notes: { sketch: noteCount, placed: noteCount - leftOutTotal, leftOut: leftOutTotal, graces: graces.placed.length, gracesLeftOut: graces.leftOut },
    },
  };
}

/**
 * Fills the phrase's loose notes, then doubles lines in its free parts (a part the fill brought in
 * for a note or two among them, see `doubleInFreeParts`) and balances; the notes no part took.
 */
function fillAndDouble(work: PhraseWork, loose: readonly { readonly line: number; readonly notes: readonly LineNote[] }[]): number {
  const { leftOut, placed } = fillLoose(work, loose);
  balance(work, doubleInFreeParts(work, placed));
  return leftOut;
}

/** Puts the notes a last look at the parts left out into their phrases' reports; how many. */
function reportLeftOut(drafts: ReadonlyMap<number, PhraseReportDraft>, label: (t: Fraction) => string, notes: readonly { phrase: number; note: LineNote }[], reason: string): number {
  for (const { phrase, note } of notes) drafts.get(phrase)!.leftOut.push({ measure: label(note.onset), pitch: nameOf(note.pitch), reason });
  return notes.length;
}

/**
 * The phrase's notes that may be its bass (see `completeBass`): the accompaniment's, and the
 * tune's where the accompaniment sounds in its half measure (a tune alone, the left hand resting,
 * is no bass to complete; nor is a tune in octaves, the octave struck with each note: the
 * Entertainer's opening run in the right hand, which the cello joined for its last three notes).
 * The tune's octave in the same hand is the tune too, whether the sketch writes it in the tune's
 * chords or as a line of its own (Elite Syncopations for orchestra, mm. 1–2: the right hand's
 * lower octave, while the left hand rests, had its lowest note of each half measure given to the
 * bass clarinet, bassoons, cellos and basses, one tied sixteenth at a time); the other hand
 * joining the tune in octaves plays a bass (Beethoven's op. 18 no. 1, iv, mm. 31–33, reduced:
 * the viola and cello an octave under the violins), and so does the bass line itself.
 */
function bassCandidates(segments: readonly Segment[], strays: readonly LineNote[], halfBars: Around, staffOf: (n: LineNote) => number | undefined): LineNote[] {
  const accompanying = [...segments.filter((s) => s.role !== "melody").flatMap((s) => s.notes), ...strays];
  const tune = segments.find((s) => s.role === "melody")?.notes ?? [];
  const key = (n: LineNote): [time: string, pitchClass: number] => [timeKey(n.onset), pitchClass(midiOf(n.pitch))];
  const struck = new TupleSet<[time: string, pitchClass: number]>(tune.map(key));
  const inHand = new TupleSet<[time: string, pitchClass: number, staff: number]>(tune.map((n) => [...key(n), staffOf(n) ?? 0]));
  const octaveOfTune = (m: LineNote): boolean => struck.has(key(m));
  const withAccompaniment = (n: LineNote): boolean => {
    const half = halfBars(n.onset, n.onset);
    return accompanying.some((m) => lt(m.onset, half.to) && gt(add(m.onset, m.duration), half.from) && !octaveOfTune(m));
  };
  const bass = new Set(segments.filter((s) => s.role === "bass").flatMap((s) => s.notes));
  const tuneInOctaves = (m: LineNote): boolean => !bass.has(m) && inHand.has([...key(m), staffOf(m) ?? 0]) && !withAccompaniment(m);
  return [...accompanying.filter((m) => !tuneInOctaves(m)), ...tune.filter(withAccompaniment)];
}

/** Whether a line's notes can be written as one voice, measure by measure. */
function writesAlone(notes: readonly LineNote[], writable: Writable): boolean {
  return notes.every((n) => writable(notes, n));
}

/**
 * The lines a part can write as a voice of its own, and the notes no part's line takes, to be
 * placed one by one, each where it can be written. A line that cannot (the triplets of one hand
 * between the sixteenths of another, split off a sketch voice that held both) is no part's line;
 * the melody and the bass stay lines, without the notes that would spoil their voice (a triplet
 * of another voice among a tune's 16ths, as a one-track MIDI file's separation may give them).
 */
function writableLines<S extends { readonly line: number; readonly role: string; readonly notes: readonly LineNote[] }>(lines: readonly S[], writable: Writable): { segments: S[]; unwritable: { line: number; notes: readonly LineNote[] }[] } {
  const segments: S[] = [];
  const unwritable: { line: number; notes: readonly LineNote[] }[] = [];
  for (const s of lines) {
    if (writesAlone(s.notes, writable)) segments.push(s);
    else if (s.role !== "melody" && s.role !== "bass") unwritable.push({ line: s.line, notes: s.notes });
    else {
      const kept: LineNote[] = [];
      const left: LineNote[] = [];
      for (const n of s.notes) (writable([...kept, n], n) ? kept : left).push(n);
      if (kept.length) segments.push({ ...s, notes: kept });
      unwritable.push({ line: s.line, notes: left });
    }
  }
  return { segments, unwritable };
}

/** The sketch's lowest note in the half measure a note sounds in, and that half measure (what the costs hold lines above). */
function bassOfHalfBar(lowest: LowestIn, halfBars: Around): NonNullable<AssignContext["bassAt"]> {
  return (n) => {
    const span = halfBars(n.onset, add(n.onset, n.duration));
    const bass = lowest(span.from, span.to);
    return bass === undefined ? undefined : { bass, ...span };
  };
}

/**
 * Stretches of time widened to the half measures they touch (`halfBars`: what the bass is held
 * above), and to the units a bass is struck in (`harmonyUnits`: the same, but a whole measure
 * where the bar is one beat).
 */
function measureUnits(frames: readonly MeasureFrame[]): { halfBars: Around; harmonyUnits: Around } {
  return { halfBars: halfBarsAround(frames), harmonyUnits: halfBarsAround(frames, true) };
}

/** A stretch of time widened to the half measures it touches; with `wholeInOne`, to the whole measure in a bar of one beat. */
function halfBarsAround(frames: readonly MeasureFrame[], wholeInOne = false): Around {
  const starts = frames.map((f) => f.start);
  const whole = wholeInOne ? inOneBeat(frames) : [];
  // The half-measure boundaries of the measure a time falls in.
  const bounds = (t: Fraction): Fraction[] => {
    const k = Math.max(0, lastAtOrBefore(starts, t));
    const f = frames[k];
    if (!f) return [t];
    return whole[k] ? [f.start, add(f.start, f.duration)] : [f.start, add(f.start, mul(f.duration, frac(1, 2))), add(f.start, f.duration)];
  };
  // A moment (from = to) widens to the half measure it begins; a stretch to the half measures it touches.
  return (from, to) => ({
    from: bounds(from).filter((b) => !gt(b, from)).pop() ?? from,
    to: max(to, bounds(to).find((b) => gt(b, to) || (!lt(b, to) && gt(to, from))) ?? to),
  });
}

/**
 * Whether each measure is one beat (three eighths or sixteenths: a 3/8 bar is counted in one, or
 * in three short beats): its half falls on no beat, in the middle of its second eighth, so the
 * whole measure is its unit of harmony.
 */
function inOneBeat(frames: readonly MeasureFrame[]): boolean[] {
  return timesInForce(frames).map((time) => {
    const one = singleSignature(time);
    return one !== undefined && one.beats === "3" && one.beatType >= 8;
  });
}

/** The measure number printed at a time (for the report). */
function measureLabeller(frames: readonly MeasureFrame[]): (t: Fraction) => string {
  const starts = frames.map((f) => f.start);
  return (t) => frames[Math.max(0, lastAtOrBefore(starts, t))]?.number ?? "?";
}

/**
 * The lines that carry most of the music (as many as there are parts), top to bottom, each to
 * the part of the same rank, except the lowest: its home is the ensemble's principal bass
 * instrument (the highest-lying one the database has double the bass: the cello rather than the
 * double bass, the tuba of a brass quintet), so that a chorale's bass is the tuba's even where
 * the trombone above it is free. Small overflow lines (double stops, a big chord) have no home.
 */
function homeParts(analysis: Analysis, slots: readonly Slot[]): Map<number, number> {
  const order = registerOrder(slots);
  // The lines that carry the piece: a line of one stray note above the tune is not one (it would
  // push the tune down to the second violins); the lowest line is, whatever it holds.
  const bottom = analysis.lines.reduce<(typeof analysis.lines)[number] | undefined>((b, l) => (!b || l.index > b.index ? l : b), undefined);
  const main = [...analysis.lines]
    .filter((l) => l.notes.length > 1 || l === bottom)
    .sort((a, b) => b.notes.length - a.notes.length || a.index - b.index)
    .slice(0, order.length)
    .sort((a, b) => a.index - b.index);
  const bass = main.length > 1 ? order.find(isBassInstrument) : undefined;
  const upper = bass ? order.filter((s) => s !== bass) : order;
  return new Map(main.map((l, k) => [l.index, (bass && k === main.length - 1 ? bass : upper[k]!).index] as [number, number]));
}

function emptyReport(): PhraseReportDraft {
  return { assignments: [], doublings: [], moved: [], balance: [], colour: [], filled: [], leftOut: [] };
}

/**
 * Where a part still holds the sketch's bass from an earlier phrase past this phrase's start (a
 * pedal tied across it: Haydn op. 74 no. 1, iv, the cello's G2 under mm. 230–236), when it lets it
 * go: until then a line of this phrase in that part would cut the bass short and leave the harmony
 * without it (`held` in `CostTerms`). A harmonic bass Tutti sustains under a figure is Tutti's own,
 * and gives way; so does a held note above the bass (see `heldPast`).
 */
function heldAcross(earlier: readonly Placement[], start: Fraction, lowest: LowestIn): (slot: number) => Fraction | undefined {
  const bass = lowest(start, start);
  const until = heldPast(earlier, start, (n) => midiOf(n.pitch) === bass);
  return (slot) => until.get(slot);
}

/**
 * A placement of an earlier phrase can meet a note of this one (struck at `start` or later) only
 * while one of its notes sounds, or ends less than half a measure before (what `fillSlot` looks at).
 */
function stillSounding(p: Placement, start: Fraction): boolean {
  return p.notes.some((m) => gt(add(add(m.onset, m.duration), frac(1, 2)), start));
}

/**
 * Words that ask for a light texture: dolce, delicato, leggiero, grazioso, tranquillo, sotto voce,
 * calando; and a recitative, which the orchestra accompanies with held chords under the voice, not
 * with its tune doubled (Lascia ch'io pianga, "Recitativ.", for orchestra: flutes and oboes had
 * doubled the declamation at mf over nine parts holding the chords).
 */
const DELICATE = /\b(dolc|delicat|legg[i]?er|grazios|tranquill|sotto voce|calando|smorz|morendo|recit)/i;

/** Whether the sketch writes a word asking for delicacy in [from, to). */
function delicacyWords(sketch: Score): (from: Fraction, to: Fraction) => boolean {
  const at = sketch.parts.flatMap((p) => [...timedDirections(p)].filter(({ direction }) => direction.items.some((i) => i.kind === "words" && DELICATE.test(i.text))).map(({ onset }) => onset));
  return (from, to) => at.some((t) => !lt(t, from) && lt(t, to));
}

/** One level thinner: f scored as mf, mf as p. */
function thinner(level: Level): Level {
  return level === "f" ? "mf" : "p";
}

/**
 * Where parts are marked softer under a phrase's tune: while the tune plays, and from the phrase's
 * start where the tune enters in its first measure, to the phrase's end where the tune ends in its
 * last, unless the sketch marks a new level in between: not the sketch's level for an 8th before
 * the tune or after it, then one below (the Maple Leaf Rag for woodwind quintet, mm. 16–18, 22,
 * 26, 30, 34: the horn's f, then mf an 8th later, every fourth bar; The Entertainer, mm. 8, 12, 20).
 */
function softerSpan(phrase: Phrase, tune: readonly LineNote[], bar: Fraction, levels: readonly { readonly at: Fraction }[]): { start: Fraction; end: Fraction } {
  const enters = tune[0]!.onset;
  const ends = tune.reduce((e, n) => max(e, add(n.onset, n.duration)), enters);
  // No level mark from `from` up to `to` (and at `to`, where `through`).
  const unmarked = (from: Fraction, to: Fraction, through: boolean): boolean => !levels.some((l) => !lt(l.at, from) && (through ? !gt(l.at, to) : lt(l.at, to)));
  const start = lt(enters, add(phrase.start, bar)) && unmarked(phrase.start, enters, true) ? phrase.start : enters;
  const end = lt(ends, phrase.end) && lt(phrase.end, add(ends, bar)) && unmarked(ends, phrase.end, false) ? phrase.end : ends;
  return { start, end };
}

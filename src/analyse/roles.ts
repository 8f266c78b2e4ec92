/**
 * Phrases and roles: where the music breathes, and what each line does in each phrase.
 *
 * Phrase boundaries come from fermatas, silences of the whole texture, double barlines and
 * repeats, and long notes of the top line ending a gesture; phrases are then kept between one and
 * eight measures, long stretches cut into four-measure groups. Roles: the bass is the lowest line
 * sounding; the melody the most salient (high, stepwise, varied, not an accompaniment figure);
 * the others inner voices, pedals (one pitch, held or repeated) or accompaniment figures (Alberti,
 * arpeggio, repeated notes or chords, sustained).
 */
import { add, cmp, differenceOf, type Fraction, ge, gt, lt, sub, toNumber, ZERO } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import { DYNAMIC_LEVELS, levelAfter, levelIndex, type Score } from "../model/score.js";
import { dealBySpan, firstAtOrAfter, lastAtOrBefore, timeKey } from "../model/search.js";
import { groupBy } from "../util/group.js";
import { measureStarts, timedDirections, timedEvents } from "../model/timeline.js";
import type { Analysis, Line, LineNote, LineRole, Phrase, Role } from "./types.js";
import type { StaffVoice } from "./sketch-notes.js";

/**
 * The phrase boundaries kept of the candidates (in time order; `s` 2 strong, 1 weak), from the
 * first note on: a strong one a measure from the last kept, a weak one two. A weak one gives way
 * to a turn between p and f less than a measure after it, which it would otherwise keep out
 * (Weber's Concertino, m. 53: the clarinet's held F5 ends half a bar before the ff tutti of m. 54,
 * whose scoring had come in on the p chord closing the solo).
 */
function keptBounds(cands: readonly { t: Fraction; s: number }[], first: Fraction, minLen: number, turns: readonly Fraction[]): Fraction[] {
  const bounds: Fraction[] = [first];
  for (const c of cands) {
    const last = bounds[bounds.length - 1]!;
    if (differenceOf(c.t, last) < minLen * (c.s === 2 ? 0.99 : 1.99)) continue;
    if (c.s === 1 && turns.some((t) => gt(t, c.t) && differenceOf(t, c.t) < minLen * 0.99)) continue;
    bounds.push(c.t);
  }
  return bounds;
}

/**
 * The phrases of a sketch, given its lines; one starts where an introduction ends, if given (see
 * `introductionEnd`).
 * @example findPhrases(sketch, lines)[0] // { index: 1, start: 0, end: 4, firstMeasure: 0, lastMeasure: 3, dynamic: "p" }
 */
export function findPhrases(score: Score, lines: readonly Line[], introduction?: Fraction): Phrase[] {
  const part = longestPart(score);
  if (!part) return [];
  const starts = measureStarts(part);
  const end = add(starts[starts.length - 1] ?? ZERO, part.measures[part.measures.length - 1]?.duration ?? ZERO);
  const all = lines.flatMap((l) => l.notes).sort((a, b) => cmp(a.onset, b.onset));
  if (all.length === 0 || end.n === 0) return [];
  const strong: Fraction[] = [];
  const weak: Fraction[] = [];
  // Changes between p (or softer) and f (or louder): strong boundaries that a weak one just before gives way to.
  const contrasts: Fraction[] = [];
  // Fermatas and double barlines or repeats.
  score.parts.forEach((p) => {
    const st = measureStarts(p);
    p.measures.forEach((m, mi) => {
      const mEnd = add(st[mi]!, m.duration);
      if (m.right?.fermata || m.right?.repeat || m.right?.style === "light-heavy" || m.right?.style === "light-light") strong.push(mEnd);
      if (m.left?.repeat?.direction === "forward") strong.push(st[mi]!);
    });
    for (const { event, onset } of timedEvents(p)) if (event.kind === "note" && event.fermata) strong.push(add(onset, event.duration));
  });
  // Silences of the whole texture (an eighth or more).
  let reach = all[0]!.onset;
  for (const n of all) {
    if (ge(sub(n.onset, reach), { n: 1, d: 8 })) strong.push(reach);
    const e = add(n.onset, n.duration);
    if (gt(e, reach)) reach = e;
  }
  // Long notes of the top line closing a gesture: at least twice the line's median and a half note.
  const top = lines[0];
  if (top && top.notes.length > 4) {
    const durs = top.notes.map((n) => toNumber(n.duration)).sort((a, b) => a - b);
    const median = durs[Math.floor(durs.length / 2)]!;
    for (const n of top.notes) {
      const d = toNumber(n.duration);
      if (d >= 2 * median && d >= 0.5) weak.push(add(n.onset, n.duration));
    }
  }
  // A change of dynamic level starts a passage the orchestra scores anew (the f of a tutti after
  // an mf opening): the loudest level marked at a moment, where it differs from the one before; a
  // passage at least a measure long where p and f answer each other (CPE Bach's, Clementi's
  // terraced dynamics; the Polonaise op. 1/4's ff bar before its p) as surely as a double bar.
  const dynamics = dynamicsOf(score);
  // The level in force from each moment that marks one: of marks struck together, the loudest.
  const moments = [...groupBy(dynamics, (d) => timeKey(d.at)).values()].map((marks) => marks.reduce((a, d) => (levelIndex(d.value) > levelIndex(a.value) ? d : a)));
  const soft = levelIndex("p");
  const loud = levelIndex("f");
  let before: number | undefined;
  for (const { at, value } of moments) {
    const level = levelIndex(value);
    const contrast = before !== undefined && Math.min(level, before) <= soft && Math.max(level, before) >= loud;
    if (before !== undefined && level !== before) (contrast ? strong : weak).push(at);
    if (contrast) contrasts.push(at);
    before = level;
  }
  const first = all[0]!.onset;
  // Measure starts only grow, so the last one at or before t is found by bisection.
  const measureAt = (t: Fraction): number => Math.max(0, lastAtOrBefore(starts, t));
  // Snap to the next onset (a phrase starts where music starts), within the piece. `all` is
  // sorted, so its distinct onsets are too, each the first note's.
  const onsets: Fraction[] = [];
  for (const n of all) {
    const last = onsets[onsets.length - 1];
    if (!last || cmp(last, n.onset) !== 0) onsets.push(n.onset);
  }
  const snap = (t: Fraction): Fraction | undefined => onsets[firstAtOrAfter(onsets, t)];
  const measureLen = part.measures.find((m) => !m.implicit)?.duration ?? { n: 1, d: 1 };
  const minLen = toNumber(measureLen);
  const cands = [
    ...[...strong, ...(introduction ? [introduction] : [])].map((t) => ({ t, s: 2 })),
    ...weak.map((t) => ({ t, s: 1 })),
  ]
    .map((c) => ({ t: snap(c.t), s: c.s }))
    .filter((c): c is { t: Fraction; s: number } => !!c.t && gt(c.t, first) && lt(c.t, end))
    .sort((a, b) => cmp(a.t, b.t) || b.s - a.s);
  const bounds = keptBounds(cands, first, minLen, contrasts.flatMap((t) => snap(t) ?? []));
  bounds.push(end);
  // Long phrases: cut at every fourth barline.
  const out: Fraction[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i]!;
    const b = bounds[i + 1]!;
    out.push(a);
    if (differenceOf(b, a) > 8 * minLen + 1e-9) {
      const ma = measureAt(a);
      for (let m = ma + 4; m < starts.length && lt(starts[m]!, b) && differenceOf(b, starts[m]!) >= 2 * minLen - 1e-9; m += 4) {
        const next = snap(starts[m]!);
        if (next && lt(next, b) && gt(next, out[out.length - 1]!)) out.push(next);
      }
    }
  }
  out.push(end);
  const dynamicTimes = dynamics.map((d) => d.at);
  const momentTimes = moments.map((d) => d.at);
  const phrases: Phrase[] = [];
  for (let i = 0; i + 1 < out.length; i++) {
    const start = out[i]!;
    const stop = out[i + 1]!;
    // A mark at the very start of the phrase, or just after its first note, is in force there.
    const look = add(start, { n: 1, d: 16 });
    const k = lastAtOrBefore(dynamicTimes, look);
    const dyn = phraseLevel(moments, lastAtOrBefore(momentTimes, look) + 1, k >= 0 ? dynamics[k]!.value : "mf", look, stop);
    phrases.push({
      index: i + 1,
      start,
      end: stop,
      firstMeasure: measureAt(start),
      lastMeasure: measureAt(sub(stop, { n: 1, d: 1024 })),
      dynamic: dyn,
    });
  }
  return phrases;
}

/**
 * The level a phrase is scored at, from `from` to `to`, given the level in force at `from`
 * (`value`) and the levels the sketch sets (`moments`, in time order, one a moment; those after
 * `from` from index `next`): the one in force longest there (the earlier of two as long). The
 * Entertainer's theme, marked p at m. 5 after an upbeat in the introduction's last f bar, is a p
 * phrase; the Polonaise op. 1/3, mm. 40–48, marked pp on the upbeat and f from the next bar to
 * the p of m. 48, an f one.
 */
function phraseLevel(moments: readonly { at: Fraction; value: string }[], next: number, value: string, from: Fraction, to: Fraction): string {
  const heard = new Map<string, number>();
  let since = from;
  const close = (at: Fraction): void => {
    if (gt(at, since)) heard.set(value, (heard.get(value) ?? 0) + differenceOf(at, since));
  };
  for (let i = next; i < moments.length && lt(moments[i]!.at, to); i++) {
    const at = moments[i]!.at;
    close(at);
    value = moments[i]!.value;
    since = at;
  }
  close(to);
  let longest: string | undefined;
  for (const [v, d] of heard) if (longest === undefined || d > heard.get(longest)! + 1e-9) longest = v;
  return longest ?? value;
}

/**
 * Where the tune of the piece's first phrase enters, if that is two measures or more after the
 * phrase starts and a line of its own (not a figure, a pedal or the bass; four notes or more)
 * sounds highest before it: an introduction, whose line is the tune of a phrase of its own. Clara
 * Schumann's Polonaise op. 1/4 opens with a right-hand flourish over the left hand's chords,
 * mm. 1–4, before the tune's chords of m. 5; as one phrase with them, the flourish was an inner
 * voice, left to the clarinets under the brass. `findPhrases` starts a phrase there.
 */
export function introductionEnd(score: Score, lines: readonly Line[], phrases: readonly Phrase[], roles: readonly LineRole[]): Fraction | undefined {
  const ph = phrases[0];
  if (!ph) return undefined;
  const measure = toNumber(longestPart(score)?.measures.find((m) => !m.implicit)?.duration ?? { n: 1, d: 1 });
  const here = roles.filter((r) => r.phrase === ph.index);
  const tune = here.find((r) => r.role === "melody");
  const inPhrase = phraseNotes(lines, [ph])(0);
  const entry = inPhrase[lines.findIndex((l) => l.index === tune?.line)]?.[0]?.onset;
  if (!entry || differenceOf(entry, ph.start) < INTRODUCTION * measure) return undefined;
  const before = lines.map((l, li) => ({ l, notes: inPhrase[li]!.filter((n) => lt(n.onset, entry)) })).filter((x) => x.notes.length > 0);
  const highest = extremeMost(before, (x) => x.notes, 1);
  return highest && highest.notes.length >= 4 && here.find((r) => r.line === highest.l.index)?.role === "inner" ? entry : undefined;
}

/** The fewest measures before the first phrase's tune enters that make an introduction (see `introductionEnd`). */
const INTRODUCTION = 2;

function longestPart(score: Score): Score["parts"][number] | undefined {
  let best: Score["parts"][number] | undefined;
  let len = -1;
  for (const p of score.parts) {
    const l = p.measures.reduce((a, m) => a + toNumber(m.duration), 0);
    if (l > len) {
      len = l;
      best = p;
    }
  }
  return best;
}

function dynamicsOf(score: Score): { at: Fraction; value: string }[] {
  const out: { at: Fraction; value: string }[] = [];
  for (const p of score.parts) {
    for (const { direction: d, onset } of timedDirections(p)) {
      for (const it of d.items) {
        if (it.kind !== "dynamics") continue;
        // Accents (sf, fz) are not a level; keep the levels, and the level an fp falls to.
        const level = it.values.map(levelAfter).find((l) => l >= 0);
        if (level !== undefined) out.push({ at: onset, value: DYNAMIC_LEVELS[level]! });
      }
    }
  }
  return out.sort((a, b) => cmp(a.at, b.at));
}

interface LineStats {
  readonly line: number;
  readonly notes: readonly LineNote[];
  readonly mean: number;
  readonly figure?: string;
  readonly pedal: boolean;
  readonly repeated: number;
  /** Share of notes with the line's commonest value in the phrase. */
  readonly even: number;
  readonly salience: number;
  /** Share of its notes that carry a lyric: a sung line. */
  readonly sung: number;
}

/**
 * What each line does in each phrase.
 * @example assignRoles(lines, phrases) // [{ line: 1, phrase: 1, role: "melody" }, { line: 2, phrase: 1, role: "bass", figure: "alberti" }]
 */
export function assignRoles(lines: readonly Line[], phrases: readonly Phrase[], voiceOf: StaffVoice = () => undefined): LineRole[] {
  const out: LineRole[] = [];
  const notesIn = phraseNotes(lines, phrases);
  phrases.forEach((ph, pi) => {
    const active: LineStats[] = [];
    const inPhrase = notesIn(pi);
    lines.forEach((l, li) => {
      const notes = inPhrase[li]!;
      if (notes.length === 0) return;
      active.push(statsOf(l.index, notes, ph, lines, inPhrase));
    });
    if (active.length === 0) return;
    if (active.length === 1) {
      out.push({ line: active[0]!.line, phrase: ph.index, role: "melody" });
      return;
    }
    // Lines are numbered top to bottom; keep that order so roles agree with the voices score.
    const byMean = [...active].sort((a, b) => a.line - b.line);
    // The top line carries the tune unless it only holds or repeats, and a line under it (not
    // the bass) sings clearly more: a left-hand melody under right-hand chords.
    // A note or two over a line that moves through the phrase (a chord's top note struck once, a
    // run's last note in a voice of its own: K. 545, mm. 9–12, the scales' G5 at m. 12) is no tune:
    // the top is the line under it that sounds highest longest.
    const moving = byMean.some((s) => s.notes.length >= 6 && !s.figure && !idle(s));
    const sparse = (s: LineStats): boolean => moving && s.notes.length <= 2 && !s.pedal;
    const first = (sparse(byMean[0]!) && extremeMost(byMean.slice(1, -1).filter((s) => !sparse(s)), (s) => s.notes, 1)) || byMean[0]!;
    // Lines are numbered by where they lie over the piece, and cross: a line numbered under that
    // one which lies above it wherever they sound together, in the upper of the two voices the
    // sketch writes them in on a staff, and sounds half as long at least, neither a figure nor a
    // pedal, is the top (the Polonaise op. 1 no. 1, mm. 12–16: the right hand's upper voice B♭4 G5
    // F5 E♭5 over its lower G4 A♭4 G4 A♭4, the line that had run down a scale in m. 12).
    const top = byMean.slice(1, -1).find((s) => s !== first && !sparse(s) && !s.pedal && !s.figure && 2 * soundingTime(s) >= soundingTime(first) && liesAbove(s.notes, first.notes, voiceOf)) ?? first;
    // Of the lines between that sing clearly more (no figure), the one that sounds highest longest:
    // under a top line of two held notes, the upper of two voices in thirds, not the more stepwise.
    const rival = extremeMost(byMean.slice(1, -1).filter((s) => s !== top && !s.figure && s.salience >= top.salience + 2), (s) => s.notes, 1);
    // Chords repeated in even values accompany; repeated notes in a syncopated rhythm are a tune.
    const topIdle = idle(top);
    // A line the sketch sings (words under its notes) is the tune wherever it lies: of two, the
    // one that sings the most words in the phrase (Der Lindenbaum, mm. 11–12: the second verse's
    // three notes of its own, "ich träumt' in", beside the first verse's line).
    const words = (s: LineStats): number => s.sung * s.notes.length;
    const voice = [...byMean].filter((s) => s.sung >= 0.3 && !sparse(s)).sort((a, b) => words(b) - words(a) || a.line - b.line)[0];
    // Under right-hand chords that only repeat (in any rhythm), with no tune between, a left hand
    // that moves in notes at least twice as many as the chords' is the tune, even outlining its
    // harmony (a broken-chord tune, not an Alberti figure): Schumann's Wild Horseman, mm. 9–16.
    const low = byMean[byMean.length - 1]!;
    const melody =
      voice ??
      (topIdle && rival
        ? rival
        : (top.pedal || top.repeated >= 0.6) && isLeftHandTune(low, top, byMean) ? low : top);
    const bass = extremeMost(byMean, (s) => s.notes, -1)!;
    for (const s of active) {
      let role: Role;
      let figure: string | undefined;
      if (s === melody) role = "melody";
      else if (s === bass) {
        role = s.pedal ? "pedal" : "bass";
        figure = s.figure;
      } else if (s.pedal) role = "pedal";
      else if (s.figure) {
        role = "accompaniment";
        figure = s.figure;
      } else role = "inner";
      const r: { -readonly [K in keyof LineRole]: LineRole[K] } = { line: s.line, phrase: ph.index, role };
      if (figure) r.figure = figure;
      out.push(r);
    }
  });
  return out.sort((a, b) => a.phrase - b.phrase || a.line - b.line);
}

/** How long a line's notes in the phrase sound, in whole notes. */
const soundingTime = (s: LineStats): number => s.notes.reduce((t, n) => t + toNumber(n.duration), 0);

/**
 * Whether line `a` sounds above line `b` nearly all the time both sound (five times as long as
 * under it), and the sketch writes `a` in an upper voice than `b` where they sound together on one
 * staff (its own voices, not a reader's guess, say which is on top). Not where `a` mostly doubles
 * `b` an octave up: a tune in octaves is one tune, whichever line the separator numbered first
 * (The Entertainer, m. 1).
 */
function liesAbove(a: readonly LineNote[], b: readonly LineNote[], voiceOf: StaffVoice): boolean {
  let over = 0;
  let under = 0;
  let octaves = 0;
  let written = false;
  for (const x of a) {
    const xEnd = add(x.onset, x.duration);
    const vx = voiceOf(x);
    for (const y of b) {
      const yEnd = add(y.onset, y.duration);
      const from = gt(x.onset, y.onset) ? x.onset : y.onset;
      const to = lt(xEnd, yEnd) ? xEnd : yEnd;
      if (!lt(from, to)) continue;
      const d = midiOf(x.pitch) - midiOf(y.pitch);
      if (d > 0 && d % 12 === 0) octaves += differenceOf(to, from);
      else if (d > 0) over += differenceOf(to, from);
      else if (d < 0) under += differenceOf(to, from);
      const vy = vx && !written ? voiceOf(y) : undefined;
      if (vx && vy && vx.staff === vy.staff && vx.voice < vy.voice) written = true;
    }
  }
  return written && over > 0 && over >= 5 * under && over >= octaves;
}

/**
 * Whether the lowest line is the tune under idle chords: every line above it repeats, holds or
 * plays a figure, and it moves (few repeated notes, no Alberti, no pedal) in twice the notes of
 * the top line.
 */
function isLeftHandTune(low: LineStats, top: LineStats, lines: readonly LineStats[]): boolean {
  if (low === top || low.pedal || low.repeated >= 0.3 || low.figure === "alberti") return false;
  if (low.notes.length < 2 * top.notes.length) return false;
  return lines.every((s) => s === low || idle(s) || s.figure !== undefined || s.notes.length * 2 <= low.notes.length);
}

/** A line that only holds or repeats: a pedal, or repeated notes or chords in even values (they accompany). */
function idle(s: LineStats): boolean {
  return s.pedal || (s.repeated >= 0.6 && s.even >= 0.8);
}

/**
 * Of a passage's lines, the one that sounds lowest (`side` -1: the bass) or highest (1) for the
 * longest time (lines cross: a left hand's figure numbered above a line that lies under it here;
 * a line of one low note is not the bass of eight bars), the last of `lines` on a tie.
 */
function extremeMost<T>(lines: readonly T[], notesOf: (line: T) => readonly LineNote[], side: 1 | -1): T | undefined {
  const sounding = lines.flatMap((line) => notesOf(line).map((n) => ({ line, n, midi: midiOf(n.pitch), end: add(n.onset, n.duration) })));
  const onsets = [...new Map(sounding.map((x) => [timeKey(x.n.onset), x.n.onset])).values()].sort(cmp);
  // Time the line is lowest (highest): from each onset to the next.
  const count = new Map<T, number>();
  onsets.forEach((t, i) => {
    let low: (typeof sounding)[number] | undefined;
    for (const x of sounding) if (!gt(x.n.onset, t) && gt(x.end, t) && (!low || side * (x.midi - low.midi) > 0)) low = x;
    const next = onsets[i + 1];
    if (low) count.set(low.line, (count.get(low.line) ?? 0) + differenceOf(next && lt(next, low.end) ? next : low.end, t));
  });
  return lines.reduce<T | undefined>((best, s) => (best === undefined || (count.get(s) ?? 0) >= (count.get(best) ?? 0) ? s : best), undefined);
}

/** For phrase `pi`, each line's notes with an onset in it (by line position), in line order. */
function phraseNotes(lines: readonly Line[], phrases: readonly Phrase[]): (pi: number) => (readonly LineNote[])[] {
  const dealt = lines.map((l) => dealBySpan(l.notes, phrases));
  return (pi) => dealt.map((d) => d[pi]!);
}

function statsOf(line: number, notes: readonly LineNote[], ph: Phrase, lines: readonly Line[], inPhrase: readonly (readonly LineNote[])[]): LineStats {
  const midis = notes.map((n) => midiOf(n.pitch));
  const mean = midis.reduce((a, b) => a + b, 0) / midis.length;
  const steps: number[] = [];
  for (let i = 1; i < midis.length; i++) steps.push(Math.abs(midis[i]! - midis[i - 1]!));
  const stepwise = steps.length ? steps.filter((d) => d >= 1 && d <= 2).length / steps.length : 0;
  const repeated = steps.length ? steps.filter((d) => d === 0).length / steps.length : 0;
  const distinct = new Set(midis).size;
  const span = differenceOf(ph.end, ph.start);
  const held = notes.reduce((a, n) => a + toNumber(n.duration), 0);
  const counts = new Map<number, number>();
  for (const m of midis) counts.set(m, (counts.get(m) ?? 0) + 1);
  const commonest = Math.max(...counts.values()) / midis.length;
  const pedal = (distinct === 1 || commonest >= 0.85) && held >= 0.5 * span && notes.length >= 1 && (notes.length > 1 || held >= 0.75 * span);
  const figure = figureOf(notes, midis, steps, repeated, lines, line, inPhrase);
  const variety = Math.min(1, distinct / Math.max(4, midis.length / 2));
  const salience = 2 * stepwise + 1.5 * variety - 2 * repeated - (figure ? 2 : 0) - (pedal ? 3 : 0);
  const sung = notes.filter((n) => n.marks?.lyrics?.some((l) => l.text.trim() !== "")).length / notes.length;
  const s: { -readonly [K in keyof LineStats]: LineStats[K] } = { line, notes, mean, pedal, repeated, even: evenness(notes), salience, sung };
  if (figure) s.figure = figure;
  return s;
}

function evenness(notes: readonly LineNote[]): number {
  const counts = new Map<string, number>();
  for (const n of notes) counts.set(`${n.duration.n}/${n.duration.d}`, (counts.get(`${n.duration.n}/${n.duration.d}`) ?? 0) + 1);
  return Math.max(...counts.values()) / notes.length;
}

/** Names the accompaniment pattern a line plays in a phrase, if it plays one. */
function figureOf(
  notes: readonly LineNote[],
  midis: readonly number[],
  steps: readonly number[],
  repeated: number,
  lines: readonly Line[],
  line: number,
  inPhrase: readonly (readonly LineNote[])[],
): string | undefined {
  if (midis.length < 4) {
    const meanDur = notes.reduce((a, n) => a + toNumber(n.duration), 0) / notes.length;
    return meanDur >= 0.5 ? "sustained" : undefined;
  }
  // Alberti: low, high, middle, high, in even values.
  let alberti = 0;
  let windows = 0;
  for (let i = 0; i + 3 < midis.length; i += 1) {
    const [a, b, c, d] = [midis[i]!, midis[i + 1]!, midis[i + 2]!, midis[i + 3]!];
    const even = cmp(notes[i]!.duration, notes[i + 1]!.duration) === 0 && cmp(notes[i + 1]!.duration, notes[i + 2]!.duration) === 0;
    windows++;
    if (even && a < c && c < b && b === d) alberti++;
  }
  // Each four-note group is one window in four: 0.15 is three groups in five.
  if (windows > 0 && alberti / windows >= 0.15) return "alberti";
  const leaps = steps.filter((d) => d >= 3 && d <= 9).length / steps.length;
  const durs = notes.map((n) => toNumber(n.duration));
  const meanDur = durs.reduce((a, b) => a + b, 0) / durs.length;
  const evenDur = durs.filter((d) => Math.abs(d - meanDur) < 1e-9).length / durs.length;
  if (leaps >= 0.6 && evenDur >= 0.6 && meanDur <= 0.25) return "arpeggio";
  if (repeated >= 0.5) {
    // Repeated chords when other lines strike with it; otherwise repeated notes.
    // Only notes of the phrase can share its onsets.
    const onsets = new Set(notes.map((n) => `${n.onset.n}/${n.onset.d}`));
    let together = 0;
    lines.forEach((l, li) => {
      if (l.index === line) return;
      for (const n of inPhrase[li]!) if (onsets.has(`${n.onset.n}/${n.onset.d}`)) together++;
    });
    return together >= notes.length * 0.5 ? "repeated-chords" : "repeated-notes";
  }
  if (meanDur >= 0.5) return "sustained";
  return undefined;
}

/** The role a line plays most of the time (by phrase length). */
export function mainRole(analysis: Analysis, line: number): Role | undefined {
  const weight = new Map<Role, number>();
  // The first phrase of each index, as a search from the start would find it.
  const byIndex = new Map<number, Analysis["phrases"][number]>();
  for (const p of analysis.phrases) if (!byIndex.has(p.index)) byIndex.set(p.index, p);
  for (const r of analysis.roles) {
    if (r.line !== line) continue;
    const ph = byIndex.get(r.phrase);
    const w = ph ? toNumber(ph.end) - toNumber(ph.start) : 1;
    weight.set(r.role, (weight.get(r.role) ?? 0) + w);
  }
  let best: Role | undefined;
  let bw = -1;
  for (const [role, w] of weight) if (w > bw) [best, bw] = [role, w];
  return best;
}

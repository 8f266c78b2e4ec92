/**
 * The composer's expression, extracted into each part the way a copyist does it: every dynamic,
 * hairpin, accent and expression word of the sketch goes, at its own onset, into every part that
 * plays there (a part that enters later in the passage gets the dynamic at its entry, and again
 * when it comes back after a rest of a measure or more). Balance may mark a part one level below
 * the sketch under the melody, never below p unless the sketch is. Tempo and structure words
 * (Allegro, Fine, D.C.) stand over the top part.
 */
import type { LineNote } from "../analyse/types.js";
import type { PlacedDirection, PlacedEvent } from "../model/build.js";
import { add, cmp, eq, type Fraction, frac, gt, le, lt, min, sub } from "../model/fraction.js";
import { type Direction, type DirectionItem, DYNAMIC_LEVELS, levelAfter, levelIndex, type Score } from "../model/score.js";
import { firstAtOrAfter, firstReaching, lastAtOrBefore, reachOf, timeKey } from "../model/search.js";
import { timedDirections } from "../model/timeline.js";
import { groupBy } from "../util/group.js";
import { TupleMap, TupleSet } from "../util/keyed.js";

const P = levelIndex("p");
const MF = levelIndex("mf");
const EIGHTH = frac(1, 8);
const QUARTER = frac(1, 4);

/** A dynamic level marked at a moment, for one staff of the sketch or (without `scope`) for all. */
interface Level {
  readonly at: Fraction;
  readonly level: number;
  readonly scope?: string;
  /** The sketch staves that write it (`scopeOf`): a score's parts each write their own. */
  readonly staves?: readonly string[];
  /** The level an accent falls to at once (the p of an fp): written with the accent, not beside it. */
  readonly afterAccent?: true;
}

/** The staff of the sketch a note comes from, as `Level.scope` names it. */
const scopeOf = (part: number, staff: number): string => `${part} ${staff}`;

/** The sketch part of a staff named by `scopeOf`. */
const sketchPartOf = (scope: string): string => scope.split(" ")[0]!;

/** The sketch staff a line note was written on (see `scopeOf`). */
export function sourceScope(sketch: Score, n: LineNote): string {
  const { part, measure, event, note } = n.source;
  const ev = sketch.parts[part]?.measures[measure]?.events[event];
  const staff = ev?.kind === "note" ? (ev.notes[note]?.staff ?? ev.staff) : (ev?.staff ?? 1);
  return scopeOf(part, staff);
}

/**
 * Words that change the dynamic over time (cresc., dim., decresc., calando, smorzando, morendo,
 * perdendosi, rinforzando): every player's, wherever the sketch writes them. An edition may put
 * one above the staff, where tempo and structure words stand (Lascia ch'io pianga, m. 21: "cresc.
 * _ _ _" above the right hand); a copyist still writes it into every part, not over the top staff.
 */
const DYNAMIC_WORD = /^\s*(cresc|dim|decresc|calando|smorz|morendo|perdend|rinf)/i;

/** Whether a direction's words are the composer's expression (for every part) rather than tempo or structure (over the top part). */
export function isExpressionWords(direction: Direction, text: string): boolean {
  return text.trim() !== "" && (direction.placement === "below" || DYNAMIC_WORD.test(text));
}

interface Hairpin {
  readonly start: Fraction;
  readonly stop: Fraction;
  readonly type: "crescendo" | "diminuendo";
  /** The sketch staves that write it (`scopeOf`), as `Level.staves`. */
  readonly staves: readonly string[];
}

/** What the sketch marks, merged over its parts and staves, each mark once. */
export interface SketchExpression {
  /**
   * Dynamic levels (p, mf, ff…), in time order. A level for one staff of the sketch (`scope`,
   * "part staff") is one written where another staff is given another level at the same moment
   * (the left hand p under a right hand f); the others apply to every staff.
   */
  readonly levels: readonly Level[];
  /** Where each level mark stands. */
  readonly levelTimes: readonly Fraction[];
  /** Accents written as dynamics (sf, sfz, fz, fp…): for the notes struck with them. */
  readonly accents: readonly { readonly at: Fraction; readonly value: string }[];
  /** Hairpins, each once, with the sketch staves that write it (`scopeOf`): one part's crescendo written into each part of a score is one hairpin. */
  readonly hairpins: readonly Hairpin[];
  /** Expression words (dolce, cresc., calando…), written below the staff. */
  readonly words: readonly { readonly at: Fraction; readonly text: string; readonly italic: boolean }[];
  /** Where the piece ends, for a hairpin the sketch never closes. */
  readonly end: Fraction;
}

/** The sketch's expression marks (see `SketchExpression`). */
export function sketchExpression(sketch: Score, end: Fraction): SketchExpression {
  const marks: Level[] = [];
  const accents: { at: Fraction; value: string }[] = [];
  const hairpins = new TupleMap<[start: string, stop: string, type: string], { start: Fraction; stop: Fraction; type: "crescendo" | "diminuendo"; staves: string[] }>();
  const hairpin = (start: Fraction, stop: Fraction, type: "crescendo" | "diminuendo", scope: string): void => {
    const key: [string, string, string] = [timeKey(start), timeKey(stop), type];
    const had = hairpins.get(key);
    if (!had) hairpins.set(key, { start, stop, type, staves: [scope] });
    else if (!had.staves.includes(scope)) had.staves.push(scope);
  };
  const words: { at: Fraction; text: string; italic: boolean }[] = [];
  const seen = new TupleSet<[time: string, what: string]>();
  const once = (at: Fraction, what: string): boolean => {
    if (seen.has([timeKey(at), what])) return false;
    seen.add([timeKey(at), what]);
    return true;
  };
  sketch.parts.forEach((part, pi) => {
    const open = new Map<string, { start: Fraction; type: "crescendo" | "diminuendo"; scope: string }>();
    for (const { direction: d, onset } of timedDirections(part)) {
      for (const item of d.items) {
        if (item.kind === "dynamics") {
          for (const v of item.values) {
            const level = levelIndex(v);
            if (level >= 0) marks.push({ at: onset, level, scope: scopeOf(pi, d.staff) });
            else {
              if (once(onset, v)) accents.push({ at: onset, value: v });
              const after = levelAfter(v);
              if (after >= 0) marks.push({ at: onset, level: after, scope: scopeOf(pi, d.staff), afterAccent: true });
            }
          }
        } else if (item.kind === "wedge") {
          const key = `${pi} ${d.staff} ${item.number ?? 1}`;
          if (item.type === "crescendo" || item.type === "diminuendo") open.set(key, { start: onset, type: item.type, scope: scopeOf(pi, d.staff) });
          else if (item.type === "stop") {
            const o = open.get(key);
            open.delete(key);
            if (o) hairpin(o.start, onset, o.type, o.scope);
          }
        } else if (item.kind === "words" && isExpressionWords(d, item.text) && once(onset, `words ${item.text}`)) {
          words.push({ at: onset, text: item.text, italic: true });
        }
      }
    }
    for (const o of open.values()) hairpin(o.start, end, o.type, o.scope);
  });
  const byTime = <T extends { at: Fraction }>(a: T, b: T): number => cmp(a.at, b.at);
  const levels = scoped(marks).sort(byTime);
  return { levels, levelTimes: levels.map((l) => l.at), accents: accents.sort(byTime), hairpins: [...hairpins.values()].sort((a, b) => cmp(a.start, b.start)), words: words.sort(byTime), end };
}

/**
 * The level marks, each once: marks of one moment that agree apply to every staff; where staves
 * disagree, each keeps its own.
 */
function scoped(marks: readonly Level[]): Level[] {
  const byTime = new Map<string, Level[]>();
  for (const m of marks) {
    const list = byTime.get(timeKey(m.at));
    if (list) list.push(m);
    else byTime.set(timeKey(m.at), [m]);
  }
  return [...byTime.values()].flatMap((list) => {
    if (new Set(list.map((m) => m.level)).size === 1) return [{ at: list[0]!.at, level: list[0]!.level, staves: [...new Set(list.map((m) => m.scope!))], ...(list.every((m) => m.afterAccent) ? { afterAccent: true as const } : {}) }];
    const seen = new Set<string>();
    return list.filter((m) => !seen.has(m.scope!) && seen.add(m.scope!)).map((m) => ({ ...m, staves: [m.scope!] }));
  });
}

/** A stretch of time in which a part is marked one level below the sketch (balance). */
interface Softer {
  readonly start: Fraction;
  readonly end: Fraction;
}

/**
 * The level a part is marked at: the sketch's, or one below it where balance asks, but never
 * below p unless the sketch is.
 * @example markedLevel(levelIndex("mf"), true) // 6 (mp)
 */
export function markedLevel(level: number, softer: boolean): number {
  return softer ? Math.max(level - 1, Math.min(level, P)) : level;
}

/** The sketch's level mark in force at `t` for a note of the staff `scope`. */
function levelInForce(expr: SketchExpression, t: Fraction, scope: string | undefined): Level | undefined {
  for (let i = lastAtOrBefore(expr.levelTimes, t); i >= 0; i--) {
    const l = expr.levels[i]!;
    if (l.scope === undefined || l.scope === scope) return l;
  }
  return undefined;
}

/** Whether the sketch marks a level for the staff `scope` after `from` and before `to`. */
function markedWithin(expr: SketchExpression, from: Fraction, to: Fraction, scope: string | undefined): boolean {
  for (let i = lastAtOrBefore(expr.levelTimes, to); i >= 0; i--) {
    const l = expr.levels[i]!;
    if (!gt(l.at, from)) return false;
    if (lt(l.at, to) && !l.afterAccent && (l.scope === undefined || l.scope === scope)) return true;
  }
  return false;
}

/**
 * The dynamic a note of the staff `scope` struck at `t` is played at, as the sketch marks it: an
 * accent struck with it (sf, fz…), else the level in force.
 */
export function dynamicOfNote(expr: SketchExpression, t: Fraction, scope: string | undefined): string | undefined {
  const accent = expr.accents.find((a) => eq(a.at, t));
  if (accent) return accent.value;
  const level = levelInForce(expr, t, scope);
  return level ? DYNAMIC_LEVELS[level.level] : undefined;
}

/** One part as the expression sees it: its notes, where balance marks it softer, and the sketch staff each note comes from. */
export interface PartNotes {
  readonly events: readonly PlacedEvent[];
  readonly softer: readonly Softer[];
  readonly scopeOf: (e: PlacedEvent) => string | undefined;
}

/** A part's notes in time order, and when it sounds. */
class Activity {
  readonly notes: readonly PlacedEvent[];
  private readonly onsets: readonly Fraction[];
  /** Where each note ends. */
  private readonly ends: readonly Fraction[];
  /** The latest end of the notes up to each one (`reachOf`). */
  private readonly reach: readonly Fraction[];

  constructor(events: readonly PlacedEvent[]) {
    this.notes = events.filter((e) => !e.grace && e.duration.n > 0).sort((a, b) => cmp(a.onset, b.onset));
    this.onsets = this.notes.map((n) => n.onset);
    this.ends = this.notes.map((n) => add(n.onset, n.duration));
    this.reach = reachOf(this.ends);
  }

  /** The first note, in time order, that is struck before `to` and sounds after `from`. */
  private firstSounding(from: Fraction, to: (onset: Fraction) => boolean): number {
    for (let i = firstReaching(this.reach, from); i < this.notes.length && to(this.onsets[i]!); i++) if (gt(this.ends[i]!, from)) return i;
    return -1;
  }

  /** The note sounding at `t`, if any (the first struck of those that do). */
  at(t: Fraction): PlacedEvent | undefined {
    return this.notes[this.firstSounding(t, (onset) => le(onset, t))];
  }

  /** Whether a note sounds somewhere in [from, to). */
  during(from: Fraction, to: Fraction): boolean {
    return this.firstSounding(from, (onset) => lt(onset, to)) >= 0;
  }

  /** The first note struck at or after `t`. */
  next(t: Fraction): PlacedEvent | undefined {
    return this.notes[firstAtOrAfter(this.onsets, t)];
  }

  /** Whether a note is struck at `t`. */
  struckAt(t: Fraction): boolean {
    const n = this.next(t);
    return !!n && eq(n.onset, t);
  }

  staffAt(t: Fraction): number {
    return (this.at(t) ?? this.next(t) ?? this.notes[0])?.staff ?? 1;
  }
}

/**
 * The expression directions of every part of an arrangement (in the order given), the way a
 * copyist extracts them from the sketch (see the file comment). A mark where no part plays (over
 * a rest of the whole texture) goes, at its own onset, to the parts that play next.
 */
export function arrangementExpression(parts: readonly PartNotes[], expr: SketchExpression, bar: Fraction): PlacedDirection[][] {
  const acts = parts.map((p) => new Activity(p.events));
  const out: PlacedDirection[][] = parts.map(() => []);
  const push = (k: number, at: Fraction, item: DirectionItem): void => void out[k]!.push({ onset: at, staff: acts[k]!.staffAt(at), placement: "below", items: [item] });
  parts.forEach((p, k) => levelsInto(acts[k]!, expr, p, bar, (at, item) => push(k, at, item)));
  // A level mark no part hears where it stands (the texture rests): to the parts that enter first after it.
  for (const l of expr.levels) {
    if (l.afterAccent || acts.some((a) => a.at(l.at))) continue;
    const entries = acts.map((a) => a.next(l.at)?.onset);
    const first = entries.reduce<Fraction | undefined>((m, e) => (e && (!m || lt(e, m)) ? e : m), undefined);
    if (!first) continue;
    entries.forEach((e, k) => {
      if (!e || !eq(e, first)) return;
      // The part's own marking at its entry moves back to the sketch's place.
      out[k] = out[k]!.filter((d) => !(eq(d.onset, first) && d.items[0]?.kind === "dynamics"));
      push(k, l.at, { kind: "dynamics", values: [DYNAMIC_LEVELS[markedLevel(l.level, parts[k]!.softer.some((s) => le(s.start, first) && lt(first, s.end)))]!] });
    });
  }
  for (const a of expr.accents) acts.forEach((act, k) => act.struckAt(a.at) && push(k, a.at, { kind: "dynamics", values: [a.value] }));
  const marks = accentMarks(expr);
  acts.forEach((act, k) => (out[k] = levelAfterAccent(out[k]!, act, marks)));
  hairpinsInto(acts, parts, expr, bar, push);
  for (const w of expr.words) {
    // A word speaks to the passage it starts: to the parts playing there or entering within a measure.
    let given = false;
    acts.forEach((act, k) => {
      const entry = act.next(w.at)?.onset;
      const at = act.at(w.at) ? w.at : entry && lt(entry, add(w.at, bar)) ? entry : undefined;
      if (at) {
        push(k, at, { kind: "words", text: w.text });
        given = true;
      }
    });
    if (!given) push(0, w.at, { kind: "words", text: w.text });
  }
  return out;
}

/**
 * Level dynamics of one part: at each mark of the sketch it hears (one it holds a note through
 * is written where the sketch writes it, a restated one too), at an entry where the level in
 * force differs from its last, and at each entry after a measure's rest; not restated on a note
 * the sketch marks anew within an eighth of its attack (Weber's Concertino for string quartet,
 * m. 4: the second violin's ff, the piano's level, then its p a 32nd later, on one note).
 */
function levelsInto(act: Activity, expr: SketchExpression, part: PartNotes, bar: Fraction, push: (at: Fraction, item: DirectionItem) => void): void {
  const isSofter = (t: Fraction): boolean => part.softer.some((s) => le(s.start, t) && lt(t, s.end));
  // The moments to look at: each note struck, and each mark while the part holds a note through it.
  const moments = [
    ...act.notes.map((n) => ({ t: n.onset, note: n, entry: true })),
    ...expr.levels.flatMap((l) => {
      const held = act.at(l.at);
      return held && lt(held.onset, l.at) ? [{ t: l.at, note: held, entry: false }] : [];
    }),
  ].sort((a, b) => cmp(a.t, b.t) || Number(b.entry) - Number(a.entry));
  let marked: number | undefined;
  let markedAt: Fraction | undefined;
  // The sketch staves of the mark the part was last marked by, where it was written as the
  // sketch writes it (not the level in force restated at an entry).
  let markedBy: readonly string[] | undefined;
  let lastEnd: Fraction | undefined;
  let lastMark: Level | undefined;
  const written = new TupleSet<[time: string]>();
  // Written at the end: a mark may give way to one of the part's own staff a moment later.
  const marks: { at: Fraction; level: number }[] = [];
  // Whether a mark is written by the sketch part a note of the part comes from.
  const own = (staves: readonly string[] | undefined, note: PlacedEvent): boolean => !!staves && staves.some((x) => sketchPartOf(x) === sketchPartOf(part.scopeOf(note) ?? ""));
  for (const { t, note, entry } of moments) {
    const mark = levelInForce(expr, t, part.scopeOf(note));
    const fresh = !!mark && mark !== lastMark;
    const at = mark && fresh && eq(mark.at, t) ? mark.at : t;
    // Where the sketch marks no level, mf is in force: a part marked down under the tune goes back
    // to it after (Jeanie with the Light Brown Hair for string quartet: the second violin, mp under
    // the tune from m. 4, had stayed mp to the end).
    const level = mark ? markedLevel(mark.level, isSofter(at)) : isSofter(at) || marked !== undefined ? markedLevel(MF, isSofter(at)) : undefined;
    const reentry = entry && lastEnd !== undefined && !lt(t, add(lastEnd, bar));
    const heard = fresh && eq(at, mark!.at);
    // The p of an fp is the accent's, written with it on the notes struck there (a note held
    // through it is not struck with it: it stays at its level, the p comes at its next entry).
    const withAccent = heard && mark!.afterAccent === true;
    if (withAccent && entry && level !== undefined) marked = level;
    // A level restated on a note the sketch marks anew within an eighth of its attack is left to that mark.
    const superseded = !heard && entry && markedWithin(expr, t, min(add(t, EIGHTH), add(note.onset, note.duration)), part.scopeOf(note));
    // The sketch's own restatement of the level the part was marked at a quarter before or less
    // (C. P. E. Bach's H. 186, mm. 13–14: pp on the right hand's last 32nd, pp again on the left
    // hand's entry an 8th into m. 14; a part entering at its level a beat before the sketch's
    // mark) is not written twice.
    const again = heard && level === marked && markedAt !== undefined && le(at, add(markedAt, QUARTER));
    // Unless the part was marked by another sketch part's mark and this is the mark of the part
    // whose line it plays: then this one stands instead, as a copyist extracts a score's parts
    // (Beethoven's op. 18 no. 1 ii as a sketch for wind quintet: each string part writes its own
    // pp, a 16th or an 8th from the others'). A piano's mark is both hands'.
    const replaces = again && markedBy !== undefined && own(mark!.staves, note) && !own(markedBy, note);
    const restated = again && !replaces;
    // A mark the part holds a note through, which the sketch restates on the part's next attack
    // within a quarter, is written there (the same piece, m. 13: the cello, playing the left
    // hand, reads its pp on its entry an 8th into m. 14, not under the D3 it holds through the
    // right hand's).
    const deferred = heard && !entry && restatedOnAttack(expr, act, mark!);
    if (level !== undefined && !withAccent && (level !== marked || reentry || (heard && !restated)) && !superseded && !deferred && !written.has([timeKey(at)])) {
      if (replaces) written.delete([timeKey(marks.pop()!.at)]);
      marks.push({ at, level });
      written.add([timeKey(at)]);
      marked = level;
      markedAt = at;
      markedBy = heard ? mark!.staves : undefined;
    }
    if (mark) lastMark = mark;
    if (entry) {
      const end = add(note.onset, note.duration);
      if (!lastEnd || gt(end, lastEnd)) lastEnd = end;
    }
  }
  for (const m of marks) push(m.at, { kind: "dynamics", values: [DYNAMIC_LEVELS[m.level]!] });
}

/** Whether the sketch marks `mark`'s level again within a quarter after it, where the part strikes a note. */
function restatedOnAttack(expr: SketchExpression, act: Activity, mark: Level): boolean {
  const until = add(mark.at, QUARTER);
  for (let i = lastAtOrBefore(expr.levelTimes, mark.at) + 1; i < expr.levels.length; i++) {
    const l = expr.levels[i]!;
    if (gt(l.at, until)) return false;
    if (gt(l.at, mark.at) && l.level === mark.level && !l.afterAccent && act.struckAt(l.at)) return true;
  }
  return false;
}

/** The sketch's accents (time and value) and the times it marks a level, looked up by time: a long score carries thousands. */
interface AccentMarks {
  readonly accents: ReadonlySet<string>;
  readonly marked: ReadonlySet<string>;
}

/** Built once for all the parts (see `levelAfterAccent`). */
function accentMarks(expr: SketchExpression): AccentMarks {
  return { accents: new Set(expr.accents.map((a) => `${timeKey(a.at)} ${a.value}`)), marked: new Set(expr.levels.map((l) => timeKey(l.at))) };
}

/**
 * A part's level restated on a note the sketch accents (sf, fz…) goes to the part's next note: a
 * copyist does not stack "mf sf" on one note (MuseScore 3 draws the two over each other: Schumann's
 * Wild Horseman for orchestra, m. 11, the flute's and second violins' entry). A level the sketch
 * itself marks there stays with the accent; one whose next note is marked already, or that has no
 * next note, is left to the accent.
 */
function levelAfterAccent(dirs: readonly PlacedDirection[], act: Activity, { accents, marked }: AccentMarks): PlacedDirection[] {
  const accented = (d: PlacedDirection): boolean => d.items.some((i) => i.kind === "dynamics" && i.values.some((v) => accents.has(`${timeKey(d.onset)} ${v}`)));
  const dynamicAt = groupBy(
    dirs.filter((d) => d.items[0]?.kind === "dynamics"),
    (d) => timeKey(d.onset),
  );
  const out: PlacedDirection[] = [];
  for (const d of dirs) {
    const at = timeKey(d.onset);
    const restated = d.items[0]?.kind === "dynamics" && !accented(d) && !marked.has(at);
    if (!restated || !(dynamicAt.get(at) ?? []).some(accented)) {
      out.push(d);
      continue;
    }
    const next = act.notes.find((n) => gt(n.onset, d.onset));
    if (next && !dynamicAt.has(timeKey(next.onset))) out.push({ ...d, onset: next.onset, staff: act.staffAt(next.onset) });
  }
  return out;
}

/**
 * Hairpins over the parts that play during them, from the sketch's start (or the part's entry)
 * to its stop; one over a rest of the whole texture goes to the parts that play within a measure
 * of it, or to the top part; one that starts in a rest of the whole texture starts there in the
 * parts that come in first under it. A part that would get several of one kind at once (each
 * sketch staff's own crescendo over one bar) gets one, as a copyist writes it (`ownHairpins`).
 */
function hairpinsInto(acts: readonly Activity[], parts: readonly PartNotes[], expr: SketchExpression, bar: Fraction, push: (k: number, at: Fraction, item: DirectionItem) => void): void {
  const given: { h: Hairpin; start: Fraction }[][] = acts.map(() => []);
  for (const h of expr.hairpins) {
    let who = acts.map((a, k) => (a.during(h.start, h.stop) ? k : -1)).filter((k) => k >= 0);
    const near = who.length === 0;
    if (near) who = acts.map((a, k) => (a.during(sub(h.start, bar), add(h.stop, bar)) ? k : -1)).filter((k) => k >= 0);
    if (who.length === 0) who = [0];
    const firsts = who.map((k) => acts[k]!.notes.find((n) => lt(n.onset, h.stop) && gt(add(n.onset, n.duration), h.start)));
    // Where every part rests as the hairpin starts, the parts that come in first under it read it
    // where the composer wrote it, in the rest before their note (Schoenberg op. 19 no. 6, m. 8: a
    // crescendo from a 16th before the right hand's D5); a part that comes in later, at its entry.
    const entry = acts.some((a) => a.at(h.start)) ? undefined : firsts.reduce<Fraction | undefined>((e, n) => (n && (!e || lt(n.onset, e)) ? n.onset : e), undefined);
    for (const [i, k] of who.entries()) {
      const act = acts[k]!;
      const first = firsts[i];
      given[k]!.push({ h, start: near || !first || act.at(h.start) || eq(first.onset, h.start) || (entry && eq(first.onset, entry)) ? h.start : first.onset });
    }
  }
  given.forEach((list, k) => {
    // Numbers free again when a hairpin stops, so that overlapping ones in one part pair correctly.
    const busy: Fraction[] = [];
    for (const { h, start } of ownHairpins(list, acts[k]!, parts[k]!)) {
      // A number is free a measure after its hairpin stopped: a reader meets a measure's hairpins
      // voice by voice, not in time (Schoenberg op. 19 no. 2 for orchestra, m. 3: the harp's
      // lower staff's crescendo, started and stopped before the upper staff's diminuendo, came
      // after it in the file under the same number).
      let number = busy.findIndex((until) => !gt(add(until, bar), start));
      if (number < 0) number = busy.push(h.stop) - 1;
      else busy[number] = h.stop;
      push(k, start, { kind: "wedge", type: h.type, number: number + 1 });
      push(k, h.stop, { kind: "wedge", type: "stop", number: number + 1 });
    }
  });
}

/**
 * Of the hairpins given to one part (in order of the sketch's starts), those it writes: where
 * several of one kind overlap (Beethoven's op. 18 no. 1 as a sketch, m. 2: each of the four parts
 * has its own crescendo, one from the barline, one from the second 16th; Schoenberg op. 19 no. 2,
 * m. 6: a diminuendo in each hand), the one of the sketch staff the part plays most of the notes
 * of under them, and of those the first.
 */
function ownHairpins<T extends { readonly h: Hairpin }>(list: readonly T[], act: Activity, part: PartNotes): T[] {
  const played = (h: Hairpin): number => act.notes.filter((n) => lt(n.onset, h.stop) && gt(add(n.onset, n.duration), h.start) && h.staves.includes(part.scopeOf(n) ?? "")).length;
  const out: T[] = [];
  for (const x of list) {
    const clash = out.findIndex((y) => y.h.type === x.h.type && lt(y.h.start, x.h.stop) && lt(x.h.start, y.h.stop));
    if (clash < 0) out.push(x);
    else if (played(x.h) > played(out[clash]!.h)) out[clash] = x;
  }
  return out;
}

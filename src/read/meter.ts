/**
 * Meter for a MIDI file that has no time signature: how many beats a bar holds and where the bar
 * starts, found from the notes, after Temperley's preference rules (The Cognition of Basic
 * Musical Structures, 2001: strong beats fall on long notes and where the harmony changes) and
 * the phase-aware periodicity measures that tell duple from triple by the accents recurring every
 * two or three beats (Eck & Casagrande 2005; Toiviainen & Eerola 2006).
 *
 * The notes are looked at on the beat: the quarter (the beat the quantiser and the beat tracker
 * give the score), or the half where the quarters between halves hold far fewer onsets than the
 * halves (a chorale moving in halves, BWV 123.6 in 3/2). A beat may carry cues of a strong beat:
 * a long note (two beats or more) starts on it, in any part, in the bass, on top; the texture holds
 * two beats from it; the bass or the harmony changes on it, and a new harmony is held to the next
 * beat. A beat where nothing starts is a weak one. For a bar of two beats and one of three, at
 * each phase, each cue's beats are weighed by how many more of them fall on the bar's first beat
 * than chance would put there (the log-likelihood ratio of their share there against one in two
 * or three); the cues' ratios add up, and each bar takes its best phase.
 *
 * Three beats a bar must win by `TRIPLE_ODDS`: 4/4 stays the meter where the notes do not say
 * otherwise. Two beats against four is not decided (the third beat of a 4/4 chorale is often as
 * strong as its first): a duple bar is written 4/4, as 2/4 and 2/2 were before, from the file's
 * start unless its strong beats fall on the file's off-beats. Compound meters are not told apart
 * from simple ones (a 6/8 is read with the bar of a 3/4), nor a change of meter (a piece half in
 * 4/4 and half in 3/4 takes the meter with the more evidence).
 *
 * Time here is in quarters as floats: the finder only says what the bar is; the reader writes it
 * in exact time.
 */
import { type Fraction, frac, toNumber } from "../model/fraction.js";

/** A note as the meter finder sees it: onset and end in whole notes from the file's start (quantised), and key number. */
export interface MeterNote {
  readonly onset: Fraction;
  readonly end: Fraction;
  readonly midi: number;
}

/** A meter found in the notes. */
export interface FoundMeter {
  /** The time signature: 3/4, 3/2 or 4/4. */
  readonly beats: number;
  readonly beatType: 2 | 4;
  /** Where a bar starts, in whole notes from the file's start, less than a bar in. */
  readonly downbeat: Fraction;
  /** What the notes showed, for the report ("3 beats a bar rather than 2 (log-likelihood ratio 12.3): long notes and held chords on the downbeat"). */
  readonly from: string;
}

/**
 * Three beats a bar must be this much likelier than two (natural log of the ratio, about 50 to 1).
 * The Bach chorales in 4/4 reach 3.7 at most (BWV 421), those in 3/4 and 3/2 4.5 at least
 * (BWV 123.6); the quartet movements and piano pieces of the corpus in 2/4, 4/4 and 2/2 0.3 at
 * most (but for Schoenberg's op. 19/2, 9 bars of 4/4 at 8.6), in 3/4 5.7 at least.
 */
const TRIPLE_ODDS = 4;
/** The strong beats of a duple bar must be this much likelier on the file's off-beats than on its beats to move its barlines. */
const PARITY_ODDS = 4;
/** The beat is the half when the quarters between halves hold less than this share of the halves' onsets. */
const HALF_BEAT = 0.5;
/** Fewer beats than this (four bars of 4/4) tell nothing. */
const MIN_BEATS = 16;

/** The cues of a strong beat, each as the beats (indices on the beat grid) that carry it. */
type Cue = "long" | "longBass" | "longTop" | "held" | "bass" | "harmony" | "harmonyHeld" | "empty";
const CUE_WORDS: Readonly<Record<Cue, string>> = {
  long: "long notes",
  longBass: "long bass notes",
  longTop: "long top notes",
  held: "held chords",
  bass: "bass changes",
  harmony: "harmony changes",
  harmonyHeld: "harmonies held",
  empty: "beats without onsets",
};
/** A cue of a weak beat: its beats avoid the downbeat. */
const WEAK: ReadonlySet<Cue> = new Set<Cue>(["empty"]);

const EPS = 1e-6;
const mod = (a: number, m: number): number => ((a % m) + m) % m;

/**
 * The meter of notes read without a time signature: 3/4 or 3/2 with its downbeat where three
 * beats a bar show clearly, 4/4 where two (or four) do or where the strong beats move the bar off
 * the file's start; undefined where the notes are too few or do not tell (4/4 from the start).
 * @example findMeter(notesOf(bwv306 without its time signature)) // { beats: 3, beatType: 4, downbeat: 1/4, from: "3 beats a bar rather than 2 (log-likelihood ratio 20.7): …" }
 */
export function findMeter(notes: readonly MeterNote[]): FoundMeter | undefined {
  const timed = notes
    .map((n) => ({ on: 4 * toNumber(n.onset), off: 4 * toNumber(n.end), midi: n.midi }))
    .sort((a, b) => a.on - b.on || a.midi - b.midi);
  if (timed.length === 0) return undefined;
  const { beat, origin } = beatLevel(timed);
  const grid = beatCues(timed, beat, origin);
  if (grid.count < MIN_BEATS) return undefined;
  const two = strongest(grid.cues, 2);
  const three = strongest(grid.cues, 3);
  const odds = three.evidence - two.evidence;
  const quarters = (i: number): number => origin + i * beat;
  if (odds >= TRIPLE_ODDS) {
    return {
      beats: 3,
      beatType: beat === 2 ? 2 : 4,
      downbeat: frac(mod(quarters(three.phase), 3 * beat), 4),
      from: `3 ${beat === 2 ? "half-note " : ""}beats a bar rather than 2 (log-likelihood ratio ${odds.toFixed(1)}): ${said(grid.cues, 3, three.phase, "the downbeat")}`,
    };
  }
  // Two beats a bar (a 4/4, 2/4 or 2/2): written as 4/4, from the file's start where its strong
  // beats are the file's; where they fall between them, the first after the first note starts
  // the first full bar (a short pickup).
  const strong = mod(quarters(two.phase), 2 * beat);
  const parity = two.evidence - evidence(grid.cues, 2, 1 - two.phase);
  const duple = odds <= -TRIPLE_ODDS ? `2 or 4 beats a bar rather than 3 (log-likelihood ratio ${(-odds).toFixed(1)})` : undefined;
  if (strong !== 0 && parity >= PARITY_ODDS) {
    const first = Math.ceil(timed[0]!.on - EPS);
    const downbeat = first + mod(strong - first, 2 * beat);
    const moved = `the strong beats fall between the file's (log-likelihood ratio ${parity.toFixed(1)}): ${said(grid.cues, 2, two.phase, "them")}`;
    return { beats: 4, beatType: 4, downbeat: frac(mod(downbeat, 4), 4), from: duple ? `${duple}; ${moved}` : moved };
  }
  return duple ? { beats: 4, beatType: 4, downbeat: frac(0), from: duple } : undefined;
}

interface Timed {
  readonly on: number;
  readonly off: number;
  readonly midi: number;
}

/** The beat (quarters) and where its grid starts: the half, on the parity of quarters that holds the onsets, where the other holds few. */
function beatLevel(timed: readonly Timed[]): { beat: 1 | 2; origin: number } {
  const onQuarter = new Set<number>();
  for (const n of timed) if (Math.abs(n.on - Math.round(n.on)) < EPS) onQuarter.add(Math.round(n.on));
  const count = [0, 0];
  for (const q of onQuarter) count[mod(q, 2)]!++;
  const [even, odd] = count as [number, number];
  if (Math.min(even, odd) < HALF_BEAT * Math.max(even, odd)) return { beat: 2, origin: even >= odd ? 0 : 1 };
  return { beat: 1, origin: 0 };
}

/**
 * The cues of every beat on the grid `origin + i·beat` from the first note's beat to the last's,
 * in one sweep over the notes. A note is long from two beats on; the top and the bass are the
 * highest and lowest notes sounding. The bass changes on a beat where a new lowest note starts,
 * not the lowest just before; the harmony changes where the pitch classes sounding on the beat and
 * just before it share less than half of their union, and is held when the next beat sounds the
 * same pitch classes.
 */
function beatCues(timed: readonly Timed[], beat: number, origin: number): { cues: Map<Cue, number[]>; count: number } {
  const cues = new Map<Cue, number[]>((Object.keys(CUE_WORDS) as Cue[]).map((c) => [c, []]));
  const put = (c: Cue, i: number): void => {
    cues.get(c)!.push(i);
  };
  const firstBeat = Math.ceil((timed[0]!.on - origin) / beat - EPS);
  const lastBeat = Math.floor((timed[timed.length - 1]!.on - origin) / beat + EPS);
  const onsets = [...new Set(timed.map((n) => n.on))];
  const lowest = (xs: readonly Timed[]): number => xs.reduce((a, n) => Math.min(a, n.midi), Infinity);
  const highest = (xs: readonly Timed[]): number => xs.reduce((a, n) => Math.max(a, n.midi), -Infinity);
  const long = (n: Timed | undefined): boolean => !!n && n.off - n.on >= 2 * beat - EPS;
  let next = 0;
  let sweep = 0;
  let open: Timed[] = [];
  let changed: { readonly at: number; readonly classes: ReadonlySet<number> } | undefined;
  for (let i = firstBeat; i <= lastBeat; i++) {
    const t = origin + i * beat;
    while (sweep < timed.length && timed[sweep]!.on < t + EPS) open.push(timed[sweep++]!);
    open = open.filter((n) => n.off > t - EPS);
    const now = open.filter((n) => n.off > t + EPS);
    const classes = new Set(now.map((n) => n.midi % 12));
    if (changed && classes.size === changed.classes.size && [...classes].every((p) => changed!.classes.has(p))) put("harmonyHeld", changed.at);
    changed = undefined;
    const starts = open.filter((n) => Math.abs(n.on - t) < EPS);
    if (starts.length === 0) {
      put("empty", i);
      continue;
    }
    const before = open.filter((n) => n.on < t - EPS);
    if (starts.some(long)) put("long", i);
    const bass = starts.find((n) => n.midi === lowest(starts))!;
    if (bass.midi <= lowest(now) && long(bass)) put("longBass", i);
    const top = starts.find((n) => n.midi === highest(starts))!;
    if (top.midi >= highest(now) && long(top)) put("longTop", i);
    while (next < onsets.length && onsets[next]! < t + EPS) next++;
    if ((onsets[next] ?? Infinity) - t >= 2 * beat - EPS) put("held", i);
    if (bass.midi <= lowest(now) && bass.midi !== lowest(before)) put("bass", i);
    const earlier = new Set(before.map((n) => n.midi % 12));
    const union = new Set([...classes, ...earlier]).size;
    const shared = [...classes].filter((p) => earlier.has(p)).length;
    if (union > 0 && shared < union / 2) {
      put("harmony", i);
      changed = { at: i, classes };
    }
  }
  return { cues, count: lastBeat - firstBeat + 1 };
}

/** The phase of a bar of `period` beats that the cues favour most, and their evidence for it. */
function strongest(cues: ReadonlyMap<Cue, readonly number[]>, period: number): { phase: number; evidence: number } {
  let best = { phase: 0, evidence: -Infinity };
  for (let phase = 0; phase < period; phase++) {
    const e = evidence(cues, period, phase);
    if (e > best.evidence) best = { phase, evidence: e };
  }
  return best;
}

/**
 * The cues' evidence that beats `phase`, `phase + period`, … are downbeats: for each cue, the
 * log-likelihood ratio of the share of its beats on them against the share chance gives (one in
 * `period`), counted for the cue where its beats fall there more than chance (less, for a cue of
 * a weak beat) and against it otherwise.
 */
function evidence(cues: ReadonlyMap<Cue, readonly number[]>, period: number, phase: number): number {
  let total = 0;
  for (const [cue, beats] of cues) total += cueEvidence(cue, beats, period, phase);
  return total;
}

function cueEvidence(cue: Cue, beats: readonly number[], period: number, phase: number): number {
  if (beats.length === 0) return 0;
  const chance = 1 / period;
  const share = beats.filter((i) => mod(i - phase, period) === 0).length / beats.length;
  const favours = WEAK.has(cue) ? share < chance : share > chance;
  return (favours ? 1 : -1) * beats.length * divergence(share, chance);
}

/** Kullback–Leibler divergence of a coin of bias p from one of bias q, in nats. */
function divergence(p: number, q: number): number {
  return (p > 0 ? p * Math.log(p / q) : 0) + (p < 1 ? (1 - p) * Math.log((1 - p) / (1 - q)) : 0);
}

/** The cues that speak for a bar of `period` beats at `phase`, strongest first: "long notes and held chords on the downbeat, beats without onsets off it". */
function said(cues: ReadonlyMap<Cue, readonly number[]>, period: number, phase: number, where: string): string {
  const list = (words: readonly string[]): string => (words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`);
  const speaking = [...cues]
    .map(([cue, beats]) => ({ cue, e: cueEvidence(cue, beats, period, phase) }))
    .filter((x) => x.e >= 1)
    .sort((a, b) => b.e - a.e);
  const on = speaking.filter((x) => !WEAK.has(x.cue)).map((x) => CUE_WORDS[x.cue]);
  const off = speaking.filter((x) => WEAK.has(x.cue)).map((x) => CUE_WORDS[x.cue]);
  const parts = [...(on.length ? [`${list(on)} on ${where}`] : []), ...(off.length ? [`${list(off)} off ${where === "them" ? "them" : "it"}`] : [])];
  return parts.length ? parts.join(", ") : "no cue alone, all together";
}

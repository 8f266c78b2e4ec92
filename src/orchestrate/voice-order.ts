/**
 * The two voices on a staff, upper first: one player's (a string player's double stops, a
 * pianist's hand) or two players' (a pair of flutes, a section divided).
 *
 * The orchestrator's voices are its lines: a part's principal line is its first voice, and a
 * doubling or a note filled in while the principal sounds is its second, wherever they lie. On the
 * page the upper part is the first voice, stems up (Gould, *Behind Bars*, "Two parts on one
 * staff"), and on a shared staff the first player's (the "1." of a pair, the upper desk of a
 * divided section); a second voice above the first crosses the stems and reads as a crossing of
 * parts that are not there (The Entertainer for string quartet, mm. 6–7: the second violin's tune
 * an octave down had its notes struck with the after-beat C4s in the second voice over them, the
 * rest in the first voice between them).
 */
import type { PlacedEvent } from "../model/build.js";
import { add, cmp, type Fraction, frac, lt, max, min, sub, ZERO } from "../model/fraction.js";
import { firstAtOrAfter, measuresSpanned, timeKey } from "../model/search.js";
import { midiOf } from "../model/pitch.js";
import { mayBecome, type Writable } from "./rhythm.js";
import { pushTo } from "../util/group.js";

/**
 * The events of a part, its voices put upper first on each staff: notes of the two voices that
 * sound together (with the notes tied or slurred to them) go together, and where the second voice
 * lies above the first in most of their meetings, they change voices; a note that meets nothing of
 * the other voice stays in its own (moving it would break its voice's line, and the writer's chords
 * of one rhythm with it). Where two `players` read the staff, such a note goes with the note of its
 * voice it follows without a rest, so that each player keeps a phrase (the second bassoon's held
 * B♭3 and the bass's C♯2 after it, under the first's C♯4 D4: Polonaise op. 1 no. 4 for chamber
 * orchestra, m. 10); where the voices meet, they are ordered there. A change is made only where
 * both voices can still be written (`writable`).
 */
export function upperVoiceFirst(events: readonly PlacedEvent[], writable: Writable, players = 1): PlacedEvent[] {
  const voice = new Map<PlacedEvent, string>();
  for (const { first, second, mine } of staffVoices(events)) {
    if (!mine.some((e) => e.voice === second) || !mine.some((e) => e.voice === first)) continue;
    const groups = meetings(mine, players > 1);
    const now = (e: PlacedEvent): string => voice.get(e) ?? e.voice;
    const onsets = mine.map((e) => e.onset);
    const longest = mine.reduce((l, e) => max(l, e.duration), ZERO);
    // The notes around one: a voice is written measure by measure, and no measure is longer than `NEAR`.
    const around = (g: PlacedEvent): PlacedEvent[] => mine.slice(firstAtOrAfter(onsets, sub(sub(g.onset, NEAR), longest)), firstAtOrAfter(onsets, add(add(g.onset, g.duration), NEAR)));
    const swap = (group: readonly PlacedEvent[]): void => {
      const moving = new Set(group);
      const writes = (g: PlacedEvent): boolean => {
        const near = around(g);
        return [first, second].every((v) => mayBecome(writable, near.filter((e) => now(e) === v), near.filter((e) => (moving.has(e) ? now(e) !== v : now(e) === v)), g));
      };
      if (group.every(writes)) for (const e of group) voice.set(e, now(e) === first ? second : first);
    };
    // Notes that meet the other voice: the group's second voice above its first changes places.
    for (const group of groups.filter((g) => g.some((e) => e.voice === first) && g.some((e) => e.voice === second))) {
      let above = 0;
      group.forEach((a, i) => {
        for (let j = i + 1; j < group.length && lt(group[j]!.onset, add(a.onset, a.duration)); j++) {
          const b = group[j]!;
          if (a.voice === b.voice) continue;
          const [one, two] = a.voice === first ? [a, b] : [b, a];
          above += low(two) > high(one) ? 1 : high(two) < low(one) ? -1 : 0;
        }
      });
      if (above > 0) swap(group);
    }
  }
  return events.map((e) => {
    const v = voice.get(e);
    return v && v !== e.voice ? { ...e, voice: v } : e;
  });
}

/** How far around a group its voices' notes are looked at: longer than any measure (sixteen quarters). */
const NEAR = frac(4);

/** The events in groups: those of different voices that sound together, and those tied or slurred to them, are one group. In onset order. */
function meetings(events: readonly PlacedEvent[], phrases: boolean): PlacedEvent[][] {
  // Union-find, without recursion: a part's two voices may meet through a whole piece.
  const parent = events.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    for (let k = i; k !== root; ) {
      const next = parent[k]!;
      parent[k] = root;
      k = next;
    }
    return root;
  };
  const join = (i: number, j: number): void => void (parent[find(i)] = find(j));
  // A slur goes on in the same voice: its start and its stop (numbered pairwise so far, see
  // `slursWithin`) are one group.
  const slurStart = new Map<number, number>();
  events.forEach((e, i) => {
    for (const slur of e.marks?.slurs ?? []) {
      const start = slurStart.get(slur.number);
      if (start === undefined) slurStart.set(slur.number, i);
      else join(start, i);
    }
  });
  const tieKey = (v: string, t: Fraction, e: PlacedEvent): string => `${v} ${timeKey(t)} ${midiOf(e.pitches[0]!)}`;
  const tiedOn = new Map<string, number>();
  events.forEach((b, j) => {
    if (b.tieIn) tiedOn.set(tieKey(b.voice, b.onset, b), j);
  });
  // Whether each note sounds with a note of the other voice.
  const meets = events.map(() => false);
  eachMeeting(events, (i, j) => {
    join(i, j);
    meets[i] = meets[j] = true;
  });
  // A tie goes on in the same voice: the note struck where this one ends, at its pitch.
  events.forEach((a, i) => {
    const j = a.tieOut ? tiedOn.get(tieKey(a.voice, add(a.onset, a.duration), a)) : undefined;
    if (j !== undefined) join(i, j);
  });
  // Two players each keep their phrase: a note that meets nothing of the other voice goes with the
  // one of its voice that ends as it is struck (where the voices meet, they are ordered there).
  if (phrases) {
    const ends = new Map<string, number>();
    events.forEach((e, i) => {
      const j = ends.get(`${e.voice} ${timeKey(e.onset)}`);
      if (j !== undefined && !meets[i]) join(j, i);
      ends.set(`${e.voice} ${timeKey(add(e.onset, e.duration))}`, i);
    });
  }
  const groups = new Map<number, PlacedEvent[]>();
  events.forEach((e, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(e);
    else groups.set(root, [e]);
  });
  return [...groups.values()];
}

/** Calls `meet` with each pair of events (by index, `i < j`) of different voices that sound together; `events` in onset order. */
function eachMeeting(events: readonly PlacedEvent[], meet: (i: number, j: number) => void): void {
  events.forEach((a, i) => {
    for (let j = i + 1; j < events.length && lt(events[j]!.onset, add(a.onset, a.duration)); j++) if (events[j]!.voice !== a.voice) meet(i, j);
  });
}

const low = (e: PlacedEvent): number => Math.min(...e.pitches.map(midiOf));
const high = (e: PlacedEvent): number => Math.max(...e.pitches.map(midiOf));

/**
 * A part one player reads, or a section (which plays a single line together), has its line in the
 * first voice where the second plays alone: notes of the second voice that meet nothing of the
 * first, with those tied or slurred to them, go to the first voice in measures where the two
 * voices never sound together, so that the measure does not show a whole rest in the first voice
 * over notes with stems down (The Maple Leaf Rag for string quartet, mm. 48–50: the viola's
 * after-beats, a line filled in beside the one it carried before, alone under whole rests), nor
 * one line in two voices, each resting while the other plays, which a section would read as
 * divided (Lascia ch'io pianga for orchestra, m. 17: the cellos' G2 in the second voice, then G3
 * in the first). Where the first voice plays in the measure, only as its rhythm can still be
 * written (`writable`). `starts` are the measures' onsets.
 */
export function aloneInFirstVoice(events: readonly PlacedEvent[], starts: readonly Fraction[], writable: Writable): PlacedEvent[] {
  const moved = new Map<PlacedEvent, string>();
  for (const { first, second, mine } of staffVoices(events)) {
    if (!mine.some((e) => e.voice === second)) continue;
    const measures = (e: PlacedEvent): number[] => measuresSpanned(starts, e.onset, add(e.onset, e.duration));
    // The first voice's notes by measure.
    const firstIn = new Map<number, PlacedEvent[]>();
    const enter = (e: PlacedEvent): void => {
      for (const m of measures(e)) pushTo(firstIn, m, e);
    };
    mine.filter((e) => e.voice === first).forEach(enter);
    // Measures where the voices sound together: they stay two voices there.
    const together = new Set<number>();
    eachMeeting(mine, (i, j) => {
      const [a, b] = [mine[i]!, mine[j]!];
      for (const m of measuresSpanned(starts, b.onset, min(add(a.onset, a.duration), add(b.onset, b.duration)))) together.add(m);
    });
    const alone = meetings(mine, false).filter((g) => g.every((e) => e.voice === second));
    for (const group of alone) {
      const spanned = new Set(group.flatMap(measures));
      if ([...spanned].some((m) => together.has(m))) continue;
      const near = [...new Set([...spanned].flatMap((m) => firstIn.get(m) ?? []))].sort((a, b) => cmp(a.onset, b.onset));
      const after = [...near, ...group].sort((a, b) => cmp(a.onset, b.onset));
      if (near.length > 0 && !group.every((g) => mayBecome(writable, near, after, g))) continue;
      for (const e of group) moved.set(e, first);
      group.forEach(enter);
    }
  }
  return events.map((e) => {
    const v = moved.get(e);
    return v ? { ...e, voice: v } : e;
  });
}

/** Each staff's first and second voice, and their notes (grace notes aside) in onset order. */
function staffVoices(events: readonly PlacedEvent[]): { first: string; second: string; mine: PlacedEvent[] }[] {
  return [...new Set(events.map((e) => e.staff))].map((staff) => {
    const first = String((staff - 1) * 4 + 1);
    const second = String((staff - 1) * 4 + 2);
    const mine = events.filter((e) => e.staff === staff && !e.grace && (e.voice === first || e.voice === second)).sort((a, b) => cmp(a.onset, b.onset));
    return { first, second, mine };
  });
}

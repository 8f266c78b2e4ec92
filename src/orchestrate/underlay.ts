/**
 * Words for every singer. The sketch's lyrics travel with the tune's notes into the part that
 * sings the tune; a choir's other voices, made of the piano's chords, would have none and could
 * only hum. Where such a voice sings in the tune's rhythm (it strikes a note with at least three
 * in four of the tune's syllables while it sings), it gets the tune's words, note for note, as a
 * copyist underlays a chorale: each syllable under the voice's note struck with it, a word's last
 * syllable held over the voice's own passing notes with an extender. A voice in a rhythm of its
 * own (a held pad under a song) sings "Oo" from each entry, held with an extender to its next rest,
 * as a choral arranger writes it; so does every voice where the sketch has no words at all (a
 * piano piece for choir), which had been written without a syllable to sing.
 */
import { add, cmp, type Fraction } from "../model/fraction.js";
import { continuesWord, type Event, type Lyric, type Part, type Score } from "../model/score.js";
import { timeKey } from "../model/search.js";
import { timedEvents } from "../model/timeline.js";
import type { Slot } from "./slots.js";

/** How many of the tune's syllables, while it sings, a voice must strike with it to be given the words. */
const SHARE = 0.75;

/** A part's notes that start a sound (not grace notes, not the tied-on halves of a note), in time order. */
function struck(part: Part): { onset: Fraction; measure: number; index: number; event: Event }[] {
  return [...timedEvents(part)].filter(({ event }) => event.kind === "note" && !event.grace && !event.cue && !event.notes.every((n) => n.tieStop));
}

/** A voice without words of its own: "Oo" at each entry after a rest, held to the next rest. */
function hummed(part: Part): Part {
  const entries = new Map<string, boolean>();
  let until: Fraction | undefined;
  let entry: string | undefined;
  for (const { event, onset, measure, index } of timedEvents(part)) {
    if (event.kind !== "note" || event.grace || event.cue) continue;
    if (until === undefined || cmp(onset, until) > 0) {
      entry = `${measure}:${index}`;
      entries.set(entry, false);
    } else if (entry !== undefined && !event.notes.every((n) => n.tieStop)) entries.set(entry, true);
    const end = add(onset, event.duration);
    if (until === undefined || cmp(end, until) > 0) until = end;
  }
  return withLyrics(part, new Map([...entries].map(([at, held]) => [at, [{ number: "1", text: "Oo", syllabic: "single", ...(held ? { extend: true } : {}) }]])));
}

/** The part with `words` (by "measure:event") under those notes. */
function withLyrics(part: Part, words: ReadonlyMap<string, Lyric[]>): Part {
  if (words.size === 0) return part;
  return {
    ...part,
    measures: part.measures.map((m, mi) => ({
      ...m,
      events: m.events.map((e, ei) => {
        const lyrics = words.get(`${mi}:${ei}`);
        return lyrics && e.kind === "note" ? { ...e, lyrics } : e;
      }),
    })),
  };
}

/**
 * The score with the tune's words given to the singers that sing in its rhythm, or "Oo" to every
 * singer where the sketch has no words (see the file's comment); the same score where no part
 * sings. `slots` are the score's parts, in order.
 * @example underlayLyrics(chorale, slots).parts[1].measures[0].events[0].lyrics // the alto sings "Nun" with the soprano
 */
export function underlayLyrics(score: Score, slots: readonly Slot[]): Score {
  const strikes = score.parts.map(struck);
  const sung = strikes.map((notes) => notes.filter(({ event }) => event.kind === "note" && event.lyrics?.length));
  const source = sung.reduce((best, s, i) => (s.length > (sung[best]?.length ?? 0) ? i : best), 0);
  // A sketch without words (a piano piece for choir): every voice sings "Oo", the tune too.
  if (!sung[source]?.length) return { ...score, parts: score.parts.map((part, pi) => (slots[pi]?.instrument.family === "voice" ? hummed(part) : part)) };
  const syllables = new Map(sung[source]!.map(({ onset, event }) => [timeKey(onset), (event.kind === "note" && event.lyrics) || []] as const));
  const parts = score.parts.map((part, pi) => {
    if (pi === source || slots[pi]?.instrument.family !== "voice" || sung[pi]!.length > 0) return part;
    const notes = strikes[pi]!;
    if (notes.length === 0) return part;
    const first = notes[0]!.onset;
    const last = notes[notes.length - 1]!.onset;
    const within = sung[source]!.filter(({ onset }) => cmp(onset, first) >= 0 && cmp(onset, last) <= 0);
    const onsets = new Set(notes.map(({ onset }) => timeKey(onset)));
    if (within.length === 0 || within.filter(({ onset }) => onsets.has(timeKey(onset))).length < SHARE * within.length) return hummed(part);
    // The words by measure and event; a word's last syllable held over the voice's next notes gets an extender.
    const words = new Map<string, Lyric[]>();
    notes.forEach(({ onset, measure, index }, k) => {
      const lyrics = syllables.get(timeKey(onset));
      if (!lyrics) return;
      const next = notes[k + 1];
      const held = next !== undefined && !syllables.has(timeKey(next.onset));
      words.set(
        `${measure}:${index}`,
        lyrics.map(({ extend: _own, ...l }) => (held && !continuesWord(l) ? { ...l, extend: true } : l)),
      );
    });
    return withLyrics(part, words);
  });
  return { ...score, parts };
}

/**
 * Mutes for the brass at pp. A trumpet's high register is loud even at its softest (the
 * database's loudness at p), so a passage marked pp that goes up there cannot be played as marked
 * open; with a straight mute it can, and that is how an orchestrator writes it (Adler: the mute
 * softens and veils the tone; Gould, *Behind Bars*: "con sord.", "senza sord."). A brass part's
 * passage, its notes between rests long enough to put a mute in or take it out (the database's
 * `mute.changeSeconds`), is played muted where it is marked no louder than mf throughout (no
 * accent either), has a note its register cannot make at its dynamic open, and every note can be
 * made muted: "con sord." where the rest before it starts (at the top of the part for the first),
 * "senza sord." where the rest before the next passage played open starts, so that the player
 * reads the change with the whole rest to make it (a part that gives the word only at the entry
 * leaves the player to find the time, and players pencil it in earlier). The notes do not change;
 * `tutti check` reads the words and weighs the muted notes by the mute.
 */
import type { PlacedDirection, PlacedEvent } from "../model/build.js";
import { add, cmp, type Fraction, lt, max, sub, toNumber, ZERO } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import { CON_SORD, levelIndex, SENZA_SORD } from "../model/score.js";
import type { Instrument } from "../instruments/index.js";
import { dynamicAt, dynamicsTimeline, registerMisfit } from "./check.js";

/** The loudest level a muted passage may be marked: a mute is a colour for soft playing, not for a forte. */
const MF = levelIndex("mf");

/** The "con sord." / "senza sord." marks of a part, from its notes and its dynamics; none for an instrument without a mute. */
export function muteMarks(inst: Instrument, events: readonly PlacedEvent[], directions: readonly PlacedDirection[], secondsPerWhole: number): PlacedDirection[] {
  const mute = inst.idioms.mute;
  if (!mute) return [];
  const timeline = dynamicsTimeline(directions.map((d) => ({ direction: d, onset: d.onset })));
  const out: PlacedDirection[] = [];
  let muted = false;
  // Where the rest before each passage starts: the player reads the change there, with the whole rest to make it.
  let restFrom: Fraction = ZERO;
  for (const passage of passagesOf(events, mute.changeSeconds / secondsPerWhole)) {
    const dynamics = passage.map((e) => dynamicAt(timeline, e.onset));
    const soft = dynamics.every((d) => d !== undefined && levelIndex(d) >= 0 && levelIndex(d) <= MF);
    const misfit = (softer: number) => passage.map((e, k) => e.pitches.map((p) => registerMisfit(inst, midiOf(p), dynamics[k]!, softer)));
    const mutes = soft && misfit(0).some((ms) => ms.includes("loud")) && misfit(mute.softer).every((ms) => ms.every((m) => m === undefined));
    const from = restFrom;
    restFrom = passage.reduce((end, e) => max(end, add(e.onset, e.duration)), ZERO);
    if (mutes === muted) continue;
    out.push({ onset: from, staff: passage[0]!.staff, placement: "above", items: [{ kind: "words", text: mutes ? CON_SORD : SENZA_SORD }] });
    muted = mutes;
  }
  return out;
}

/** A part's notes (not grace notes) in passages: a new one after a rest of `gap` (whole notes) or more. */
function passagesOf(events: readonly PlacedEvent[], gap: number): PlacedEvent[][] {
  const notes = events.filter((e) => !e.grace && e.duration.n > 0 && e.pitches.length > 0).sort((a, b) => cmp(a.onset, b.onset));
  const out: PlacedEvent[][] = [];
  let end: Fraction | undefined;
  for (const e of notes) {
    if (!end || toNumber(sub(e.onset, end)) >= gap) out.push([]);
    out[out.length - 1]!.push(e);
    const to = add(e.onset, e.duration);
    if (!end || lt(end, to)) end = to;
  }
  return out;
}

/**
 * General MIDI percussion read from a MIDI file: each key number a drum, with its name and its
 * place on the five-line staff.
 */
import { midiOf, type Pitch } from "../model/pitch.js";
import type { Measure, PartInstrument } from "../model/score.js";

/** General MIDI percussion key numbers: a name and a place on the five-line staff. */
const DRUMS: Readonly<Record<number, readonly [name: string, step: Pitch["step"], octave: number]>> = {
  35: ["Acoustic Bass Drum", "E", 4], 36: ["Bass Drum", "F", 4], 37: ["Side Stick", "C", 5], 38: ["Snare Drum", "C", 5],
  39: ["Hand Clap", "B", 4], 40: ["Electric Snare", "C", 5], 41: ["Low Floor Tom", "G", 4], 42: ["Closed Hi-Hat", "G", 5],
  43: ["High Floor Tom", "A", 4], 44: ["Pedal Hi-Hat", "D", 4], 45: ["Low Tom", "B", 4], 46: ["Open Hi-Hat", "G", 5],
  47: ["Low-Mid Tom", "D", 5], 48: ["Hi-Mid Tom", "E", 5], 49: ["Crash Cymbal", "A", 5], 50: ["High Tom", "F", 5],
  51: ["Ride Cymbal", "F", 5], 52: ["Chinese Cymbal", "A", 5], 53: ["Ride Bell", "F", 5], 54: ["Tambourine", "E", 5],
  55: ["Splash Cymbal", "A", 5], 56: ["Cowbell", "E", 5], 57: ["Crash Cymbal 2", "A", 5], 59: ["Ride Cymbal 2", "F", 5],
};

function drumPosition(midi: number): Pitch {
  const d = DRUMS[midi];
  return { step: d?.[1] ?? "E", alter: 0, octave: d?.[2] ?? 5 };
}

/** The drum kit's instruments a percussion part's notes (their key numbers) use, one per key. */
export function drumInstruments(partId: string, notes: readonly { readonly midi: number }[]): PartInstrument[] {
  const keys = [...new Set(notes.map((n) => n.midi))].sort((a, b) => a - b);
  return keys.map((k) => ({ id: `${partId}-I${k}`, name: DRUMS[k]?.[0] ?? `Percussion ${k}`, midiChannel: 10, midiUnpitched: k + 1 }));
}

/** Percussion notes carry no pitch: each key number becomes a staff position and its instrument. */
export function asUnpitched(measures: Measure[], partId: string): Measure[] {
  return measures.map((m) => ({
    ...m,
    events: m.events.map((e) =>
      e.kind !== "note"
        ? e
        : {
            ...e,
            notes: e.notes.map(({ pitch, ...rest }) => {
              const key = pitch ? midiOf(pitch) : 38;
              const pos = drumPosition(key);
              return { ...rest, unpitched: { step: pos.step, octave: pos.octave }, instrument: `${partId}-I${key}` };
            }),
          },
    ),
  }));
}

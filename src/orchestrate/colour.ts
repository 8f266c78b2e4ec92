/**
 * Colour over the whole piece. A repeated phrase gets a new colour. Where the sketch writes a
 * phrase's tune out again note for note (a repeat under a repeat sign is written once, and is
 * played as written), the tune goes to an instrument other than the one that last had it, and
 * that instrument does not double it: the clarinet answers what the violins said. Only where the
 * ensemble has instruments of more than one family to carry a tune: a string quartet's repeat in
 * the viola is no new colour, only a tune in the wrong register. And decorative colour (a
 * glockenspiel on the tune) is saved for the piece's high points (see `highPoints`).
 */
import type { Phrase } from "../analyse/types.js";
import { sub } from "../model/fraction.js";
import { levelIndex } from "../model/score.js";
import { midiOf } from "../model/pitch.js";
import type { Segment } from "./costs.js";
import type { Level, Slot } from "./slots.js";

/** What a repeated phrase's scoring avoids: the tune's line, and the parts of the instrument that last had it. */
export interface Recolour {
  readonly line: number;
  readonly avoid: ReadonlySet<number>;
  /** The measures of the phrase it repeats, as printed ("1–4"). */
  readonly of: string;
  /** The part that had the tune there. */
  readonly was: string;
}

/** How much a part costs as the tune's principal where it had the tune last time (see `costs.ts`'s scale). */
export const RECOLOUR_PENALTY = 6;

/** The tunes heard so far and who played them, asked phrase by phrase, in order; and the piece's high points. */
export class ColourMemory {
  private readonly heard = new Map<string, { slot: number; measures: string }>();
  private readonly enabled: boolean;
  private readonly peaks: ReadonlySet<number>;

  constructor(
    private readonly slots: readonly Slot[],
    phrases: readonly Phrase[],
    measures: number,
  ) {
    const families = new Set(slots.filter((s) => s.instrument.orchestration?.doubles.includes("melody")).map((s) => s.instrument.family));
    this.enabled = families.size > 1;
    this.peaks = highPoints(phrases, measures);
  }

  /** Whether a phrase (by index) is one of the piece's high points (see `highPoints`). */
  isHighPoint(phrase: number): boolean {
    return this.peaks.has(phrase);
  }

  /**
   * The recolouring a phrase asks for: its tune was heard before, note for note. Below f the new
   * colour is not the brass's: a tune sung at p goes to a woodwind, not to the trumpets.
   */
  repeatOf(segments: readonly Segment[], level: Level): Recolour | undefined {
    const melody = segments.find((s) => s.role === "melody");
    const key = melody && signature(melody);
    const before = key ? this.heard.get(key) : undefined;
    if (!this.enabled || !melody || !before) return undefined;
    const instrument = this.slots[before.slot]!.instrument.id;
    const avoid = new Set(this.slots.filter((s) => s.instrument.id === instrument || (level !== "f" && s.instrument.family === "brass")).map((s) => s.index));
    return { line: melody.line, avoid, of: before.measures, was: this.slots[before.slot]!.name };
  }

  /** Remembers who played the phrase's tune (`slot`), for its next repeat. */
  remember(segments: readonly Segment[], slot: number | undefined, measures: string): void {
    const melody = segments.find((s) => s.role === "melody");
    const key = melody && signature(melody);
    if (key && slot !== undefined) this.heard.set(key, { slot, measures });
  }
}

/** A tune as pitches and rhythm from its first note; none for a tune of fewer than four notes. */
function signature(seg: Segment): string | undefined {
  if (seg.notes.length < 4) return undefined;
  const first = seg.notes[0]!.onset;
  return seg.notes.map((n) => {
    const at = sub(n.onset, first);
    return `${midiOf(n.pitch)}@${at.n}/${at.d}+${n.duration.n}/${n.duration.d}`;
  }).join(" ");
}

/** The most of a piece, in measures, that decorative colour may sound in. */
const HIGH_POINTS_SHARE = 1 / 4;

/**
 * The piece's high points, where decorative colour (a glockenspiel doubling the tune) may join,
 * used sparingly, as Rimsky-Korsakov asks of it: the phrases at the loudest dynamic the piece
 * reaches, where that is f or louder, the last first (the final tutti), until the next would take
 * more than a quarter of the piece's measures. The Maple Leaf Rag for orchestra has it in its last
 * strain, not in 74 of its 85 bars.
 */
export function highPoints(phrases: readonly Phrase[], measures: number): Set<number> {
  const top = Math.max(...phrases.map((p) => levelIndex(p.dynamic)));
  const out = new Set<number>();
  if (top < levelIndex("f")) return out;
  let used = 0;
  for (const p of [...phrases].reverse()) {
    if (levelIndex(p.dynamic) !== top) continue;
    used += p.lastMeasure - p.firstMeasure + 1;
    if (used > measures * HIGH_POINTS_SHARE) break;
    out.add(p.index);
  }
  return out;
}

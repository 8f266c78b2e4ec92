/** Lyrics under the notes. */
import type { DrawnSystem } from "./staves.js";
import { continuesWord } from "../../model/score.js";
import { LYRIC_SIZE as SIZE } from "../staff.js";
import { text, textWidth } from "./text.js";

/** A syllable along a system: its note's place among the staff's notes and voice, its notehead's middle, its baseline. */
interface Syllable {
  readonly at: number;
  readonly voice: string;
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly hyphen: boolean;
  readonly extend: boolean;
}

/**
 * The extender lines still open at a system's end, by staff (`StaffRef.index`) and verse: the
 * voice whose notes go on carrying the syllable into the next system.
 */
export type OpenExtenders = Map<string, string>;

/**
 * Lyrics under the notes, a line per verse, at one height along each staff of the system. A
 * syllable is centred under its note; the hyphen to the next syllable of its word is centred in
 * the gap between them (Gould), or follows the syllable where the word goes on in the next
 * system; a word's last syllable sung over several notes (MusicXML's `<extend>`) has a line
 * under them to the last one's notehead, and where they go on into the next system, a line there
 * from its start to the last of them (`open` carries it from system to system).
 */
export function drawLyrics({ ctx, sys, grid, measures }: DrawnSystem, open: OpenExtenders): void {
  // A staff left out of this system (resting) ends what it was singing.
  const here = new Set(sys.staves.map((ref) => `${ref.index}`));
  for (const key of [...open.keys()]) if (!here.has(key.slice(0, key.indexOf(":")))) open.delete(key);
  sys.staves.forEach((ref, r) => {
    const sms = measures.map((row) => row[r]!);
    // The verses whose last syllable is still sung as this system starts.
    const carriedVerses = [...open.keys()].filter((k) => k.startsWith(`${ref.index}:`)).map((k) => k.slice(k.indexOf(":") + 1));
    if (!sms.some((sm) => sm.lyrics > 0) && carriedVerses.length === 0) return;
    const low = Math.max(4, ...sms.map((sm) => sm.bottom));
    const verses = [...new Set([...sms.flatMap((sm) => sm.notes.flatMap((n) => (n.ev.lyrics ?? []).map((l) => l.number))), ...carriedVerses])].sort();
    const lines = verses.map(() => [] as Syllable[]);
    // The right edge of every notehead of the staff along the system, with its voice, in order.
    const heads: { voice: string; x: number }[] = [];
    // The baseline of a verse's line in a measure of the system (the same height all along).
    const baseline = (k: number, v: number): number => grid[k]![r]!.getYForLine(0) + low * 10 + 16 + 20 * v;
    sms.forEach((sm, k) => {
      for (const { ev, note } of sm.notes) {
        heads.push({ voice: ev.voice, x: note.getNoteHeadEndX() });
        for (const l of ev.lyrics ?? []) {
          const v = Math.max(0, verses.indexOf(l.number));
          const x = (note.getNoteHeadBeginX() + note.getNoteHeadEndX()) / 2;
          lines[v]!.push({ at: heads.length - 1, voice: ev.voice, x, y: baseline(k, v), text: l.text, hyphen: continuesWord(l), extend: !!l.extend });
        }
      }
    });
    const extender = (from: number, to: number, y: number): void => {
      ctx.save();
      ctx.setLineWidth(1);
      ctx.beginPath();
      ctx.moveTo(from, y + 1);
      ctx.lineTo(to, y + 1);
      ctx.stroke();
      ctx.restore();
    };
    for (const [v, line] of lines.entries()) {
      const key = `${ref.index}:${verses[v]}`;
      const words = line.filter((s) => s.text !== "");
      // A syllable carried over from the system before: its line runs from this system's first
      // note to the last note of its voice before the next syllable.
      const carried = open.get(key);
      if (carried !== undefined) {
        const sung = heads.slice(0, words[0] ? words[0].at : heads.length).filter((h) => h.voice === carried);
        if (sung.length) extender(grid[0]![r]!.getNoteStartX(), Math.max(...sung.map((h) => h.x)), baseline(0, v));
        // Still sung at this system's end where no syllable came.
        if (words.length === 0 && sung.length) continue;
        open.delete(key);
      }
      const last = words[words.length - 1];
      if (last?.extend && !last.hyphen) open.set(key, last.voice);
      words.forEach((s, i) => {
        text(ctx, s.text, s.x, s.y, SIZE, "middle");
        const end = s.x + textWidth(ctx, s.text, SIZE) / 2;
        const next = words[i + 1];
        if (s.hyphen) {
          const start = next ? next.x - textWidth(ctx, next.text, SIZE) / 2 : undefined;
          if (start !== undefined && start - end > textWidth(ctx, "-", SIZE)) text(ctx, "-", (end + start) / 2, s.y, SIZE, "middle");
          else text(ctx, " -", end, s.y, SIZE, "start");
        } else if (s.extend) {
          // To the last note of its voice before the next syllable (or the system's end).
          const sung = heads.slice(s.at + 1, next ? next.at : heads.length).filter((h) => h.voice === s.voice);
          const to = Math.max(...sung.map((h) => h.x));
          if (sung.length && to > end + 4) extender(end + 2, to, s.y);
        }
      });
    }
  });
}

/** Lyrics under the notes. */
import type { DrawnSystem } from "./staves.js";
import { text } from "./text.js";

/** Lyrics under the notes, a line per verse, at one height along each staff of the system. */
export function drawLyrics({ ctx, sys, grid, measures }: DrawnSystem): void {
  sys.staves.forEach((_, r) => {
    const sms = measures.map((row) => row[r]!);
    if (!sms.some((sm) => sm.lyrics > 0)) return;
    const low = Math.max(4, ...sms.map((sm) => sm.bottom));
    const verses = [...new Set(sms.flatMap((sm) => sm.notes.flatMap((n) => (n.ev.lyrics ?? []).map((l) => l.number))))].sort();
    sms.forEach((sm, k) => {
      const base = grid[k]![r]!.getYForLine(0) + low * 10 + 16;
      for (const { ev, note } of sm.notes) {
        for (const l of ev.lyrics ?? []) {
          const v = Math.max(0, verses.indexOf(l.number));
          const hyphen = l.syllabic === "begin" || l.syllabic === "middle" ? " -" : "";
          text(ctx, l.text + hyphen, (note.getNoteHeadBeginX() + note.getNoteHeadEndX()) / 2, base + 20 * v, 11, "middle");
        }
      }
    });
  });
}

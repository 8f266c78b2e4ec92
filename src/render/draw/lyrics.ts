/** Lyrics under the notes. */
import type { DrawnSystem } from "./staves.js";
import { text, textWidth } from "./text.js";

const SIZE = 11;

/**
 * Lyrics under the notes, a line per verse, at one height along each staff of the system. A
 * syllable is centred under its note; the hyphen to the next syllable of its word is centred in
 * the gap between them (Gould), or follows the syllable where the word goes on in the next
 * system.
 */
export function drawLyrics({ ctx, sys, grid, measures }: DrawnSystem): void {
  sys.staves.forEach((_, r) => {
    const sms = measures.map((row) => row[r]!);
    if (!sms.some((sm) => sm.lyrics > 0)) return;
    const low = Math.max(4, ...sms.map((sm) => sm.bottom));
    const verses = [...new Set(sms.flatMap((sm) => sm.notes.flatMap((n) => (n.ev.lyrics ?? []).map((l) => l.number))))].sort();
    // Each verse's syllables along the system, in order: where each is drawn and whether a hyphen follows it.
    const lines = verses.map(() => [] as { x: number; y: number; text: string; hyphen: boolean }[]);
    sms.forEach((sm, k) => {
      const base = grid[k]![r]!.getYForLine(0) + low * 10 + 16;
      for (const { ev, note } of sm.notes) {
        for (const l of ev.lyrics ?? []) {
          const v = Math.max(0, verses.indexOf(l.number));
          lines[v]!.push({ x: (note.getNoteHeadBeginX() + note.getNoteHeadEndX()) / 2, y: base + 20 * v, text: l.text, hyphen: l.syllabic === "begin" || l.syllabic === "middle" });
        }
      }
    });
    for (const line of lines) {
      line.forEach((s, i) => {
        text(ctx, s.text, s.x, s.y, SIZE, "middle");
        if (!s.hyphen) return;
        const end = s.x + textWidth(ctx, s.text, SIZE) / 2;
        const next = line[i + 1];
        const start = next ? next.x - textWidth(ctx, next.text, SIZE) / 2 : undefined;
        const dash = textWidth(ctx, "-", SIZE);
        if (start !== undefined && start - end > dash) text(ctx, "-", (end + start) / 2, s.y, SIZE, "middle");
        else text(ctx, " -", end, s.y, SIZE, "start");
      });
    }
  });
}

/**
 * Breath marks, as an engraver places them (Gould, *Behind Bars*, "Breath marks"): a comma
 * (SMuFL breathMarkComma) above the staff, after the note it follows, in the space before the
 * next note or rest, or before the barline. VexFlow has none; an annotation on the note had put
 * the comma over its notehead, where it read as a breath before the note, inside the tie of a
 * note held over the barline.
 */
import { add, lt } from "../../model/fraction.js";
import { isBreathMark } from "../../model/score.js";
import type { DrawnSystem } from "./staves.js";
import { music, musicWidth } from "./text.js";

const COMMA = "\uE4CE";
const SIZE = 24;
/** Air between the comma and the note before it, and what follows it, VexFlow units. */
const AIR = 3;
const BEFORE_NEXT = 6;
/** Its baseline over the staff's top line, or over the note where that is higher. */
const OVER_STAFF = 6;
const OVER_NOTE = 8;

/** Draws the breath marks of a system's notes. */
export function drawBreaths({ ctx, grid, measures }: DrawnSystem): void {
  const width = musicWidth(ctx, COMMA, SIZE);
  measures.forEach((sms, k) =>
    sms.forEach((sm, row) => {
      const stave = grid[k]![row]!;
      for (const { ev, note } of sm.notes) {
        if (!ev.articulations?.some(isBreathMark)) continue;
        const end = add(ev.onset, ev.duration);
        // The next note or rest on the staff from the note's end, or the barline.
        const next = sm.anchors.filter((a) => !lt(a.onset, end)).reduce((x, a) => Math.min(x, a.tickable.getAbsoluteX()), stave.getNoteEndX());
        const after = note.getAbsoluteX() + note.getGlyphWidth() + AIR;
        const x = Math.max(after, next - width - BEFORE_NEXT);
        const y = Math.min(stave.getYForLine(0) - OVER_STAFF, Math.min(...note.getYs()) - OVER_NOTE);
        music(ctx, COMMA, x, y, SIZE);
      }
    }),
  );
}

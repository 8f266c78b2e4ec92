/** Slurs, by part and number, in time order through a system. */
import { Curve, type StaveNote } from "vexflow/core";
import { cmp } from "../../model/fraction.js";
import type { DrawnSystem } from "./staves.js";

/**
 * Draws the slurs of a system: one from the previous system (in `carried`, by `part:number`)
 * starts at the clef, one open at the end runs to the last barline and goes on in the next.
 */
export function drawSlurs({ ctx, sys, measures }: DrawnSystem, carried: Set<string>): void {
  const here = new Map<string, StaveNote>();
  const draw = (from: StaveNote | undefined, to: StaveNote | undefined): void => {
    ctx.openGroup("slur");
    new Curve(from, to, { thickness: 1.5 }).setContext(ctx).draw();
    ctx.closeGroup();
  };
  for (const sms of measures) {
    const items = sms.flatMap((sm, r) => sm.notes.map((n) => ({ ...n, part: sys.staves[r]!.part })));
    items.sort((a, b) => cmp(a.ev.onset, b.ev.onset));
    for (const { ev, note, part } of items) {
      const slurs = ev.slurs ?? [];
      for (const sl of slurs) {
        if (sl.type !== "stop") continue;
        const key = `${part}:${sl.number}`;
        const start = here.get(key);
        if (start) {
          if (start !== note) draw(start, note);
          here.delete(key);
        } else if (carried.has(key)) {
          draw(undefined, note);
          carried.delete(key);
        }
      }
      for (const sl of slurs) if (sl.type === "start") here.set(`${part}:${sl.number}`, note);
    }
  }
  for (const [key, note] of here) {
    draw(note, undefined);
    carried.add(key);
  }
}

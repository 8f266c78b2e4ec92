/** Ties: within a system, from the previous system, and on to the next. */
import { StaveTie } from "vexflow/core";
import { cmp } from "../../model/fraction.js";
import type { TieEnd } from "../staff.js";
import type { DrawnSystem } from "./staves.js";

/**
 * A tie begun at the end of a system, on a part's staff (`part:staff`), to end in the next: what
 * it ends on is found by its key and onset. Not its note: a VexFlow note holds its stave, voice
 * and tick context, and through them its column (and, at the end of a page, the whole page),
 * which would stay alive all through the next system.
 */
export interface PendingTie {
  readonly start: Pick<TieEnd, "key" | "onset">;
  readonly partStaff: string;
}

/** A tie's start: drawn in this system (its note known), or carried over from the one before. */
type Start = Pick<TieEnd, "key" | "onset" | "side"> & { readonly note?: TieEnd["note"]; readonly index?: number };

/**
 * Draws the ties of a system: those begun in an earlier system end here from the clef, and
 * those still open at its end run off it and are added to `pending` for the next.
 */
export function drawTies({ ctx, sys, measures }: DrawnSystem, pending: PendingTie[]): void {
  const open = new Map<string, Start[]>();
  for (const p of pending.splice(0)) open.set(p.partStaff, [...(open.get(p.partStaff) ?? []), p.start]);
  const previousStarts = new Set<Start>([...open.values()].flat());
  for (const sms of measures) {
    sms.forEach((sm, r) => {
      const ref = sys.staves[r]!;
      const ps = `${ref.part}:${ref.staff}`;
      // Stops and starts in time order (a stop before a start on the same note).
      const events = [...sm.tieStops.map((t) => ({ t, stop: true })), ...sm.tieStarts.map((t) => ({ t, stop: false }))].sort(
        (a, b) => cmp(a.t.onset, b.t.onset) || (a.stop === b.stop ? 0 : a.stop ? -1 : 1),
      );
      for (const { t, stop } of events) {
        if (!stop) {
          open.set(ps, [...(open.get(ps) ?? []), t]);
          continue;
        }
        const list = open.get(ps) ?? [];
        const i = list.findIndex((x) => x.key === t.key && cmp(x.onset, t.onset) !== 0 || (x.key === t.key && x.note !== t.note));
        if (i < 0) continue;
        const start = list[i]!;
        list.splice(i, 1);
        const tie = previousStarts.has(start)
          ? new StaveTie({ lastNote: t.note, lastIndexes: [t.index] })
          : new StaveTie({ firstNote: start.note!, lastNote: t.note, firstIndexes: [start.index!], lastIndexes: [t.index] });
        const side = t.side ?? start.side;
        if (side) tie.setDirection(side);
        tie.setContext(ctx).draw();
      }
    });
  }
  for (const [ps, list] of open) {
    for (const start of list) {
      if (previousStarts.has(start)) continue; // a tie that never ended
      const tie = new StaveTie({ firstNote: start.note!, firstIndexes: [start.index!] });
      if (start.side) tie.setDirection(start.side);
      tie.setContext(ctx).draw();
      pending.push({ start: { key: start.key, onset: start.onset }, partStaff: ps });
    }
  }
}

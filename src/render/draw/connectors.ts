/** What joins the staves of a system: the line at its left, barlines through groups, brackets and braces. */
import { type Stave, StaveConnector, type StaveConnectorType } from "vexflow/core";
import type { PartGroup, Score } from "../../model/score.js";
import type { StaffRef } from "../columns.js";
import type { DrawnSystem } from "./staves.js";

/** Draws the connectors of a system, for `groups` (see `partGroups`). */
export function drawConnectors({ ctx, sys, grid }: DrawnSystem, score: Score, groups: readonly PartGroup[]): void {
  const first = grid[0]!;
  const rows = sys.staves;
  const connect = (a: number, b: number, type: StaveConnectorType, col: readonly Stave[]): void => {
    new StaveConnector(col[a]!, col[b]!).setType(type).setContext(ctx).draw();
  };
  if (rows.length > 1) connect(0, rows.length - 1, "singleLeft", first);
  // Barline groups: rows that share barlines through.
  const barGroup = barGroups(rows, groups);
  const spans: [number, number][] = [];
  let s = 0;
  for (let r = 1; r <= rows.length; r++) {
    if (r === rows.length || barGroup[r] !== barGroup[s]) {
      if (r - 1 > s) spans.push([s, r - 1]);
      s = r;
    }
  }
  for (const col of grid) for (const [a, b] of spans) connect(a, b, "singleRight", col);
  // Brackets for groups, braces for multi-staff parts.
  for (const g of groups) {
    const a = rows.findIndex((r) => r.part >= g.first && r.part <= g.last);
    let b = -1;
    rows.forEach((r, i) => {
      if (r.part >= g.first && r.part <= g.last) b = i;
    });
    if (a < 0) continue;
    const type: StaveConnectorType = g.symbol === "brace" ? "brace" : g.symbol === "line" ? "singleLeft" : "bracket";
    if (g.symbol === "none") continue;
    if (type === "bracket" || b > a) connect(a, b, type, first);
  }
  for (let i = 0; i < rows.length; i++) {
    const part = score.parts[rows[i]!.part]!;
    if (part.staves > 1 && rows[i]!.staff === 1) {
      const lastRow = rows.findIndex((r) => r.part === rows[i]!.part && r.staff === part.staves);
      if (lastRow > i && !groups.some((g) => g.symbol === "brace" && g.first === rows[i]!.part && g.last === rows[i]!.part)) {
        connect(i, lastRow, "brace", first);
      }
    }
  }
}

/** The barline group of each row: the first group of its part with barlines through, or one of its own. */
function barGroups(rows: readonly StaffRef[], groups: readonly PartGroup[]): number[] {
  return rows.map((r) => {
    const gi = groups.findIndex((g) => g.barline !== false && r.part >= g.first && r.part <= g.last && g.symbol !== "none");
    return gi >= 0 ? gi : -1 - r.part; // a multi-staff part outside groups still has barlines through
  });
}

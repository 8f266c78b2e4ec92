/**
 * The README's pictures: page 1 of Tutti's arrangement of Mozart's K. 545 (exposition) and of
 * Clara Schumann's Polonaise op. 1 no. 1 for symphony orchestra, drawn from Tutti's own SVG.
 *
 *   npx tsx scripts/readme-pictures.ts     # writes docs/*.png
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import { renderScoreSvg } from "../src/node/render.js";
import { arrange } from "../src/orchestrate/index.js";
import { readScore } from "../src/read/index.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const pictures = [
  ["fixtures/corpus/piano/mozart-k545-mvt1-exposition.mxl", "docs/k545-symphony-orchestra-1.png"],
  ["fixtures/corpus/piano/clara-schumann-polonaise-op1no1.mxl", "docs/polonaise-symphony-orchestra-1.png"],
] as const;
mkdirSync(root + "docs", { recursive: true });
for (const [sketch, out] of pictures) {
  const score = readScore(new Uint8Array(readFileSync(root + sketch)), sketch.split("/").pop()!);
  const [page] = renderScoreSvg(arrange(score, "symphony-orchestra")[0]!.score);
  writeFileSync(root + out, new Resvg(page!, { fitTo: { mode: "width", value: 1100 }, background: "white" }).render().asPng());
  console.log(out);
}

/**
 * `tutti render <score> [--out <dir>] [--page a4|letter]`: engrave any MusicXML or MIDI as SVG
 * pages, `<dir>/<stem>.svg` for one page or `<stem>-1.svg`, `<stem>-2.svg`… for more.
 */
import type { Command } from "commander";
import { TuttiError } from "../model/errors.js";
import { engravingHeap } from "./heap.js";


export function registerRender(program: Command): void {
  program
    .command("render")
    .description("engrave a score (MusicXML, .mxl, MIDI) as SVG pages")
    .argument("<score>", "the score to engrave")
    .option("--out <dir>", "folder for the SVG pages", "out")
    .option("--page <size>", "paper size: a4 or letter", "a4")
    .option("--hide-empty-staves", "leave out staves that only rest in a system, after the first (default for more than 8 staves)")
    .option("--no-hide-empty-staves", "show every staff in every system")
    .addHelpText(
      "after",
      `
Examples:
  $ tutti render out/sketch.musicxml --out pages             A4 pages: pages/sketch-1.svg, -2.svg…
  $ tutti render quartet.mxl --page letter --no-hide-empty-staves

Existing pages of the same name are replaced atomically; the input is never overwritten.`,
    )
    .action(async (input: string, opts: { out: string; page: string; hideEmptyStaves?: boolean }) => {
      const page = opts.page.toLowerCase();
      if (page !== "a4" && page !== "letter") throw new TuttiError("BAD_OPTION", `unknown page size "${opts.page}": use a4 or letter`, input);
      const { readScoreFile, stemOf } = await import("../node/files.js");
      const { renderFiles } = await import("../node/render.js");
      engravingHeap();
      const score = await readScoreFile(input);
      const written = await renderFiles(score, stemOf(input), opts.out, { page, ...(opts.hideEmptyStaves !== undefined ? { hideEmptyStaves: opts.hideEmptyStaves } : {}) }, [input]);
      console.log(written.join("\n"));
    });
}

/**
 * `tutti analyse <input> --out <dir>`: the lines a sketch hides, written as a score of one part per
 * line (`<stem>.voices.musicxml`) and a summary (`<stem>.analysis.json`).
 */
import type { Command } from "commander";
import { join } from "node:path";

export function registerAnalyse(program: Command): void {
  program
    .command("analyse")
    .alias("analyze")
    .description("separate a sketch's voices and name their roles: <stem>.voices.musicxml and <stem>.analysis.json")
    .argument("<input>", "the sketch to read")
    .requiredOption("--out <dir>", "folder for the outputs")
    .addHelpText(
      "after",
      `
Example:
  $ tutti analyse sketch.musicxml --out analysis     analysis/sketch.voices.musicxml, analysis/sketch.analysis.json`,
    )
    .action(async (input: string, opts: { out: string }) => {
      const { readScoreFile, stemOf, writeFilesAtomically } = await import("../node/files.js");
      const { analyse, analysisJson, voicesScore } = await import("../analyse/index.js");
      const { writeMusicXml } = await import("../write/musicxml.js");
      const score = await readScoreFile(input);
      const analysis = analyse(score);
      const stem = stemOf(input);
      const enc = new TextEncoder();
      await writeFilesAtomically(
        [
          { path: join(opts.out, `${stem}.voices.musicxml`), data: enc.encode(writeMusicXml(voicesScore(score, analysis))) },
          { path: join(opts.out, `${stem}.analysis.json`), data: enc.encode(JSON.stringify(analysisJson(score, analysis), null, 2) + "\n") },
        ],
        [input],
      );
    });
}

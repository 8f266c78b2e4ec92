/**
 * `tutti analyse <input> --out <dir>`: the lines a sketch hides, written as a score of one part per
 * line (`<stem>.voices.musicxml`) and a summary (`<stem>.analysis.json`); a lead sheet's chord
 * symbols filled in as `tutti arrange` plays them, unless `--no-chord-symbols`.
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
    .option("--no-chord-symbols", "leave a lead sheet's chord symbols out of the lines (by default they become a bass and inner voices, as \`tutti arrange\` plays them)")
    .addHelpText(
      "after",
      `
Example:
  $ tutti analyse sketch.musicxml --out analysis     analysis/sketch.voices.musicxml, analysis/sketch.analysis.json`,
    )
    .action(async (input: string, opts: { out: string; chordSymbols: boolean }) => {
      const { readScoreFile, stemOf, writeFilesAtomically } = await import("../node/files.js");
      const { analyse, analysisJson, realiseChordSymbols, voicesScore } = await import("../analyse/index.js");
      const { writeMusicXml } = await import("../write/musicxml.js");
      const read = await readScoreFile(input);
      // The lines arrange plays: a lead sheet's chord symbols filled in under its tune.
      const score = opts.chordSymbols ? realiseChordSymbols(read).score : read;
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

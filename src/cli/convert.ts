/**
 * `tutti convert <input> <output>`: read any supported input, write by the output's extension.
 */
import type { Command } from "commander";
import { TuttiError } from "../model/errors.js";
import { readScoreFile, writeFilesAtomically } from "../node/files.js";
import { formatOfName, writeScore } from "../write/index.js";

export function registerConvert(program: Command): void {
  program
    .command("convert")
    .description("convert a score: MusicXML (.musicxml, .xml), compressed MusicXML (.mxl), MIDI (.mid, .midi; repeats are not expanded)")
    .argument("<input>", "the score to read")
    .argument("<output>", "the file to write; its extension picks the format")
    .action(async (input: string, output: string) => {
      const format = formatOfName(output);
      if (!format) throw new TuttiError("UNKNOWN_FORMAT", "unknown output format: use .musicxml, .xml, .mxl, .mid or .midi", output);
      const score = await readScoreFile(input);
      await writeFilesAtomically([{ path: output, data: writeScore(score, format) }], [input]);
    });
}

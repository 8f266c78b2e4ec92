/**
 * `tutti convert <input> <output>`: read any supported input, write by the output's extension.
 */
import type { Command } from "commander";
import { TuttiError } from "../model/errors.js";


export function registerConvert(program: Command): void {
  program
    .command("convert")
    .description("convert a score: MusicXML (.musicxml, .xml), compressed MusicXML (.mxl), MIDI (.mid, .midi; repeats are not expanded)")
    .argument("<input>", "the score to read")
    .argument("<output>", "the file to write; its extension picks the format")
    .addHelpText(
      "after",
      `
Examples:
  $ tutti convert sketch.mid sketch.musicxml     MIDI to MusicXML (quantised, spelled in the key, the hands from the voices)
  $ tutti convert score.musicxml score.mxl       compress
  $ tutti convert score.mxl score.mid            MusicXML to MIDI

An existing output is replaced atomically (temporary file, then rename); the input is never overwritten.`,
    )
    .action(async (input: string, output: string) => {
      const { readScoreFile, writeFilesAtomically } = await import("../node/files.js");
      const { formatOfName, writeScore } = await import("../write/index.js");
      const format = formatOfName(output);
      if (!format) throw new TuttiError("UNKNOWN_FORMAT", "unknown output format: use .musicxml, .xml, .mxl, .mid or .midi", output);
      const { pianoView } = await import("../analyse/index.js");
      // A one-track MIDI file's hands come from its lines, not from a split by pitch.
      const score = pianoView(await readScoreFile(input));
      await writeFilesAtomically([{ path: output, data: writeScore(score, format) }], [input]);
    });
}

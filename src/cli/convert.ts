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
    .option("--report", "print what the reader decided (a MIDI file's meter, key, grid, hands, spelling, dynamics and pedal)")
    .addHelpText(
      "after",
      `
Examples:
  $ tutti convert sketch.mid sketch.musicxml     MIDI to MusicXML (quantised, spelled in the key, the hands from the voices)
  $ tutti convert score.musicxml score.mxl       compress
  $ tutti convert score.mxl score.mid            MusicXML to MIDI
  $ tutti convert played.mid sketch.mxl --report  and say how the performance was read

An existing output is replaced atomically (temporary file, then rename); the input is never overwritten.`,
    )
    .action(async (input: string, output: string, options: { report?: boolean }) => {
      const { readScoreFileWithReport, writeFilesAtomically } = await import("../node/files.js");
      const { formatOfName, writeScore } = await import("../write/index.js");
      const format = formatOfName(output);
      if (!format) throw new TuttiError("UNKNOWN_FORMAT", "unknown output format: use .musicxml, .xml, .mxl, .mid or .midi", output);
      const { pianoView } = await import("../analyse/index.js");
      const read = await readScoreFileWithReport(input);
      // A one-track MIDI file's hands come from its lines, not from a split by pitch.
      const score = pianoView(read.score);
      await writeFilesAtomically([{ path: output, data: writeScore(score, format) }], [input]);
      if (options.report) for (const note of read.report.notes) console.log(`read: ${note}`);
    });
}

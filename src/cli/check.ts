/**
 * `tutti check <score...>`: the orchestrator's range and idiom rules as a linter for any score.
 */
import type { Command } from "commander";
import type { Finding } from "../orchestrate/index.js";
import { databaseFor } from "./database.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check scores against instrument ranges and idioms (range, chords, double stops, breath, dynamics)")
    .argument("<scores...>", "MusicXML, .mxl or MIDI files")
    .option("--json", "print the findings as JSON")
    .option("--tempo <qpm>", "quarter notes per minute where the score gives none", "100")
    .addHelpText(
      "after",
      `
Examples:
  $ tutti check out/sketch.musicxml                  one line per finding; exit 1 on any error
  $ tutti check parts/*.musicxml --json > findings.json`,
    )
    .action(async (scores: string[], opts: { json?: boolean; tempo: string }, command: Command) => {
      const { readScoreFile } = await import("../node/files.js");
      const { checkScore } = await import("../orchestrate/check.js");
      const db = await databaseFor(command);
      const all: (Finding & { file: string })[] = [];
      let errors = 0;
      let unreadable = 0;
      for (const file of scores) {
        try {
          const score = await readScoreFile(file);
          const findings = checkScore(score, db, { tempo: Number(opts.tempo) || 100 });
          for (const f of findings) all.push({ file, ...f });
          errors += findings.filter((f) => f.severity === "error").length;
        } catch (err) {
          if (scores.length === 1) throw err;
          unreadable++;
          console.error(`tutti: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (opts.json) console.log(JSON.stringify(all, null, 2));
      else {
        for (const f of all) console.log(`${f.file}: ${f.part}, m. ${f.measure}: ${f.severity}: ${f.message} — ${f.suggestion}`);
        const warnings = all.filter((f) => f.severity === "warning").length;
        console.log(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
      }
      // Errors (unplayable notes) fail the command, so it can gate a build; warnings do not.
      if (errors > 0 || unreadable > 0) process.exitCode = 1;
    });
}

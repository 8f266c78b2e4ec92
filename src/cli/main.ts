/**
 * The `tutti` command line: a thin layer over the library. Each command lives in its own file,
 * registers itself here, and loads what it needs only when it runs, so `tutti --help` does not
 * pay for the engraver. Errors print as one line (`tutti: <file>: <problem>`, and a hint where one
 * helps); exit code 1 for a failed file, 2 for a usage error.
 */
import { Command, CommanderError } from "commander";
import { TuttiError, type ErrorCode } from "../model/errors.js";
import { removePendingTemps } from "../node/temps.js";
import { registerAnalyse } from "./analyse.js";
import { registerArrange } from "./arrange.js";
import { registerCheck } from "./check.js";
import { registerConvert } from "./convert.js";
import { arrangingHeap } from "./heap.js";
import { registerInstruments } from "./instruments.js";
import { registerRender } from "./render.js";
import { version } from "./version.js";

/** Exit codes: all done; a file (or more) failed; the command line itself is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Errors in what was typed rather than in a file. */
const USAGE: ReadonlySet<ErrorCode> = new Set(["BAD_OPTION", "UNKNOWN_ENSEMBLE", "UNKNOWN_INSTRUMENT", "UNKNOWN_FORMAT"]);

const HINTS: Partial<Record<ErrorCode, string>> = {
  UNKNOWN_ENSEMBLE: "`tutti ensembles` lists them",
  UNKNOWN_INSTRUMENT: "`tutti instruments` lists them",
  UNSUPPORTED: "Tutti reads .musicxml, .xml, .mxl, .mid and .midi",
};

const EXAMPLES = `
Examples:
  $ tutti arrange sketch.mid -e string-quartet            arrange a sketch, MusicXML into out/
  $ tutti arrange sketches/ -e satb-choir -f musicxml,svg  a whole folder, with SVG pages
  $ tutti ensembles                                         the ensembles to choose from
  $ tutti render score.musicxml --out pages                 engrave any score as SVG
  $ tutti <command> --help                                  options and examples of a command`;

export async function main(argv: readonly string[]): Promise<number> {
  arrangingHeap();
  let command = "";
  const program = new Command("tutti")
    .description("Orchestrate a piano sketch for any ensemble: MusicXML, MIDI and SVG out.")
    .version(version(), "-V, --version", "print Tutti's version")
    .option("--debug", "print stack traces of errors")
    .option("--instruments <dir>", "your own instruments and ensembles, added to Tutti's: <dir>/instruments/*.json and <dir>/ensembles/*.json (one with a built-in id replaces it)")
    .showSuggestionAfterError()
    .exitOverride()
    .addHelpText("after", EXAMPLES)
    // Commander's own messages ("error: unknown option '--jbos'") are reworded in the catch below.
    .configureOutput({ outputError: () => {} })
    .hook("preAction", (_root, action) => {
      command = action.name();
    });
  registerArrange(program);
  registerConvert(program);
  registerRender(program);
  registerAnalyse(program);
  registerCheck(program);
  registerInstruments(program);
  for (const c of program.commands) c.exitOverride().configureOutput({ outputError: () => {} });
  // Ctrl-C: no half-written output left behind (workers end with the process).
  const stop = (signal: NodeJS.Signals): void => {
    removePendingTemps();
    console.error(`tutti: stopped (${signal}); files not yet written were left out`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop).once("SIGTERM", stop);
  try {
    process.exitCode = undefined;
    await program.parseAsync([...argv]);
    // Batch commands set a failing exit code without throwing, so the other files still run.
    const code = process.exitCode;
    process.exitCode = undefined;
    return typeof code === "number" ? code : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end parsing with an "error" too.
      if (err.exitCode === 0 || err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT.ok;
      // No command at all: the help (on stderr) says it all.
      if (err.code === "commander.help") return EXIT.usage;
      const sub = commandOf(argv, program);
      console.error(`tutti: ${err.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ")}; see \`tutti ${sub ? `${sub} ` : ""}--help\``);
      return EXIT.usage;
    }
    if (argv.includes("--debug") && err instanceof Error) console.error(err.stack);
    else console.error(`tutti: ${oneLine(err, command)}`);
    return err instanceof TuttiError && USAGE.has(err.code) ? EXIT.usage : EXIT.failed;
  } finally {
    process.off("SIGINT", stop).off("SIGTERM", stop);
  }
}

/** The subcommand named on the command line, if any. */
function commandOf(argv: readonly string[], program: Command): string | undefined {
  const names = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  return argv.slice(2).find((a) => names.has(a));
}

function oneLine(err: unknown, command: string): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, " ");
  if (!(err instanceof TuttiError)) return text;
  const hint = err.code === "BAD_OPTION" ? `see \`tutti ${command ? `${command} ` : ""}--help\`` : HINTS[err.code];
  // Messages that already point to a command (the unknown-ensemble list does) need no hint.
  return hint && !text.includes("`tutti ") ? `${text} (${hint})` : text;
}

/**
 * The `tutti` command line: a thin layer over the library. Each command lives in its own file
 * and registers itself here. Errors print as one line (`tutti: <file>: <problem>`) and exit 1.
 */
import { Command, CommanderError } from "commander";
import { TuttiError } from "../model/errors.js";
import { registerAnalyse } from "./analyse.js";
import { registerConvert } from "./convert.js";
import { registerInstruments } from "./instruments.js";
import { registerRender } from "./render.js";
import { registerCheck } from "./check.js";
import { registerArrange } from "./arrange.js";

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("tutti")
    .description("Orchestrate a piano sketch for any ensemble: MusicXML, MIDI and SVG out.")
    .option("--debug", "print stack traces of errors")
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  registerConvert(program);
  registerInstruments(program);
  registerAnalyse(program);
  registerRender(program);
  registerArrange(program);
  registerCheck(program);
  try {
    process.exitCode = undefined;
    await program.parseAsync([...argv]);
    // Batch commands set a failing exit code without throwing, so the other files still run.
    const code = process.exitCode;
    process.exitCode = undefined;
    return typeof code === "number" ? code : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const debug = argv.includes("--debug");
    if (debug && err instanceof Error) console.error(err.stack);
    else console.error(`tutti: ${oneLine(err)}`);
    return 1;
  }
}

function oneLine(err: unknown): string {
  if (err instanceof TuttiError) return err.message.replace(/\s*\n\s*/g, " ");
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, " ");
  return String(err);
}

/**
 * `tutti instruments` and `tutti ensembles`: list the instrument database, as an aligned table
 * or (`--json`) as JSON for scripts.
 */
import type { Command } from "commander";
import type { Ensemble, EnsembleMember, Instrument } from "../instruments/schema.js";
import { databaseFor } from "./database.js";

export function registerInstruments(program: Command): void {
  program
    .command("instruments")
    .description("list the instruments Tutti knows, in score order, with their sounding ranges")
    .option("--json", "print a JSON array of the full instrument data")
    .addHelpText("after", "\nExamples:\n  $ tutti instruments\n  $ tutti instruments --json | jq '.[] | select(.family == \"brass\") | .id'")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { listInstruments } = await import("../instruments/database.js");
      const instruments = listInstruments(await databaseFor(command));
      process.stdout.write(options.json ? json(instruments) : instrumentTable(instruments));
    });
  program
    .command("ensembles")
    .description("list the predefined ensembles (use one with --ensemble, or give a comma list of instruments)")
    .option("--json", "print a JSON array of the ensembles")
    .addHelpText("after", "\nExamples:\n  $ tutti ensembles\n  $ tutti arrange sketch.mid -e woodwind-quintet")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { listEnsembles } = await import("../instruments/database.js");
      const ensembles = listEnsembles(await databaseFor(command));
      process.stdout.write(options.json ? json(ensembles.map(ensembleJson)) : ensembleTable(ensembles));
    });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `instruments` lists the instrument id of each part in score order; `parts` adds names, counts and sections. */
function ensembleJson(e: Ensemble): { id: string; name: string; description: string; instruments: string[]; parts: readonly EnsembleMember[] } {
  return { id: e.id, name: e.name, description: e.description, instruments: e.instruments.map((m) => m.instrument), parts: e.instruments };
}

function instrumentTable(instruments: readonly Instrument[]): string {
  return table(
    ["ID", "NAME", "FAMILY", "RANGE (SOUNDING)", "COMFORTABLE"],
    instruments.map((i) => [i.id, i.name, i.family, i.range.absolute.join("–"), i.range.comfortable.join("–")]),
  );
}

function ensembleTable(ensembles: readonly Ensemble[]): string {
  return table(
    ["ID", "NAME", "PARTS", "INSTRUMENTS"],
    ensembles.map((e) => [e.id, e.name, String(e.instruments.length), e.instruments.map(memberLabel).join(", ")]),
  );
}

/** "flute×2" for two players on one part; "violin (section)" for a string section. */
function memberLabel(m: EnsembleMember): string {
  const players = (m.count ?? 1) > 1 ? `${m.instrument}×${m.count}` : m.instrument;
  return m.section ? `${players} (section)` : players;
}

/** Columns padded to their widest cell; the last column is not padded (no trailing spaces). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? "")].length)));
  const line = (r: readonly string[]): string =>
    r.map((cell, c) => (c === r.length - 1 ? cell : cell + " ".repeat(widths[c]! - [...cell].length))).join("  ");
  return `${all.map(line).join("\n")}\n`;
}

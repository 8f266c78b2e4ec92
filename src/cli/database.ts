/**
 * The instrument database a command runs with: Tutti's own, with the user's `--instruments`
 * folder (a global option) on top.
 */
import type { Command } from "commander";
import type { Database } from "../instruments/index.js";

/** The user's own instrument folders, from `--instruments`. */
export function ownFolders(command: Command): string[] {
  const dir = (command.optsWithGlobals() as { instruments?: string }).instruments;
  return dir === undefined ? [] : [dir];
}

export async function databaseFor(command: Command): Promise<Database> {
  const { loadDatabase } = await import("../node/instruments.js");
  return loadDatabase(undefined, ownFolders(command));
}

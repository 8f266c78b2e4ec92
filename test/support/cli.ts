/** The command line run in the test's own process, its console captured, in a fresh folder per test. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { main } from "../../src/cli/main.js";

export interface Cli {
  /** What the command printed on stderr and stdout since the test began (or `clear`). */
  readonly errors: string[];
  readonly output: string[];
  /** The test's temporary folder. */
  folder(): string;
  /** Forgets what was printed so far. */
  clear(): void;
  run(...args: string[]): Promise<number>;
}

/** Sets up, for each test of the file, a temporary folder named from `prefix` and a captured console. */
export function cliHarness(prefix: string): Cli {
  const errors: string[] = [];
  const output: string[] = [];
  let dir = "";
  const clear = (): void => {
    errors.length = 0;
    output.length = 0;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    clear();
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void output.push(a.join(" ")));
  });
  afterEach(() => vi.restoreAllMocks());
  return { errors, output, folder: () => dir, clear, run: (...args) => main(["node", "tutti", ...args]) };
}

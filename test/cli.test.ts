/** The command line as a user meets it: one clear line per problem, exit codes, nothing half-written. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { FIXTURES } from "./support/corpus.js";
import { xsdErrors } from "./support/xsd.js";

let dir: string;
let errors: string[];
let output: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tutti-cli-"));
  errors = [];
  output = [];
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void output.push(a.join(" ")));
});
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]): Promise<number> => main(["node", "tutti", ...args]);
const CHORALE = join(FIXTURES, "corpus/chorales/bwv66.6.mxl");

describe("tutti convert", () => {
  test("converts .mxl to valid MusicXML and to .mxl", async () => {
    expect(await run("convert", CHORALE, join(dir, "a.musicxml"))).toBe(0);
    expect(xsdErrors(readFileSync(join(dir, "a.musicxml"), "utf8"))).toEqual([]);
    expect(await run("convert", join(dir, "a.musicxml"), join(dir, "sub/b.mxl"))).toBe(0);
    expect(readFileSync(join(dir, "sub/b.mxl")).subarray(0, 2).toString()).toBe("PK");
    expect(errors).toEqual([]);
  });

  test("a missing file: one line naming it, exit 1, nothing written", async () => {
    expect(await run("convert", join(dir, "nope.musicxml"), join(dir, "out.musicxml"))).toBe(1);
    expect(errors).toEqual([`tutti: ${join(dir, "nope.musicxml")}: no such file`]);
    expect(existsSync(join(dir, "out.musicxml"))).toBe(false);
  });

  test("broken XML: one line with the problem and line, no stack, nothing written", async () => {
    const bad = join(dir, "broken.musicxml");
    writeFileSync(bad, '<?xml version="1.0"?>\n<score-partwise>\n<part-list>\n</score-partwise>\n');
    expect(await run("convert", bad, join(dir, "out.musicxml"))).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^tutti: ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not well-formed XML: .*\\(line \\d+\\)$`));
    expect(errors[0]).not.toMatch(/\n|at .*\.ts/);
    expect(readdirSync(dir)).toEqual(["broken.musicxml"]);
  });

  test("an empty file and an unknown output format are refused", async () => {
    const empty = join(dir, "empty.musicxml");
    writeFileSync(empty, "");
    expect(await run("convert", empty, join(dir, "o.musicxml"))).toBe(1);
    expect(errors[0]).toBe(`tutti: ${empty}: the file is empty`);
    expect(await run("convert", CHORALE, join(dir, "o.pdf"))).toBe(1);
    expect(errors[1]).toMatch(/o\.pdf: unknown output format/);
  });

  test("never overwrites its input", async () => {
    const copy = join(dir, "in.musicxml");
    writeFileSync(copy, readFileSync(join(FIXTURES, "corpus/edge/lilypond-suite/01a-Pitches-Pitches.xml")));
    const before = readFileSync(copy, "utf8");
    expect(await run("convert", copy, copy)).toBe(1);
    expect(errors[0]).toMatch(/refusing to overwrite the input file/);
    expect(readFileSync(copy, "utf8")).toBe(before);
  });
});

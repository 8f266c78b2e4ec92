/** The command line as a user meets it: one clear line per problem, exit codes, nothing half-written. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
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

describe("tutti arrange", () => {
  const K545 = join(FIXTURES, "corpus/piano/mozart-k545-mvt1-exposition.mxl");

  test("writes MusicXML, MIDI, SVG and the report for an ensemble, and prints the summary", async () => {
    const out = join(dir, "out");
    expect(await run("arrange", K545, "-e", "string-quartet", "-f", "musicxml,midi,svg", "--report", "-o", out)).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(expect.arrayContaining(["mozart-k545-mvt1-exposition.musicxml", "mozart-k545-mvt1-exposition.mid", "mozart-k545-mvt1-exposition.report.json"]));
    expect(files.some((f) => /^mozart-k545-mvt1-exposition(-1)?\.svg$/.test(f))).toBe(true);
    expect(xsdErrors(readFileSync(join(out, "mozart-k545-mvt1-exposition.musicxml"), "utf8"))).toEqual([]);
    const report = JSON.parse(readFileSync(join(out, "mozart-k545-mvt1-exposition.report.json"), "utf8"));
    expect(report[0].ensemble).toBe("string-quartet");
    expect(output.join("\n")).toMatch(/\(melody\) → Violin I/);
    expect(errors).toEqual([]);
  });

  test("an inline ensemble and ranked alternatives", async () => {
    expect(await run("arrange", K545, "-e", "flute,clarinet-bb,cello", "--alternatives", "2", "-o", dir, "-q")).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["mozart-k545-mvt1-exposition.alt2.musicxml", "mozart-k545-mvt1-exposition.musicxml"]);
  });

  test("an unknown ensemble is one line with suggestions, and nothing is written", async () => {
    expect(await run("arrange", K545, "-e", "string-quartett", "-o", join(dir, "o"))).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^tutti: unknown ensemble "string-quartett"; did you mean "string-quartet"/);
    expect(existsSync(join(dir, "o"))).toBe(false);
  });

  test("a batch goes on past a bad file, reports it in one line and exits 1", async () => {
    const folder = join(dir, "in");
    mkdirSync(folder);
    writeFileSync(join(folder, "a-broken.musicxml"), "<score-partwise><oops></score-partwise>");
    writeFileSync(join(folder, "b-good.mxl"), readFileSync(join(FIXTURES, "corpus/chorales/bwv66.6.mxl")));
    writeFileSync(join(folder, "c-corrupt.mid"), Buffer.from("MThd\u0000\u0000\u0000\u0006garbage"));
    const out = join(dir, "out");
    expect(await run("arrange", folder, "-e", "satb-choir", "-o", out)).toBe(1);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/a-broken\.musicxml: not well-formed XML/);
    expect(errors[1]).toMatch(/c-corrupt\.mid: /);
    expect(readdirSync(out)).toEqual(["b-good.musicxml"]);
    expect(output.at(-1)).toBe("1 of 3 arranged, 2 failed");
  });
});

describe("tutti check", () => {
  test("a clean quartet exits 0 with warnings counted; --json gives the findings", async () => {
    const q = join(FIXTURES, "corpus/quartets/mozart-k458-mvt1.mxl");
    expect(await run("check", q)).toBe(0);
    expect(output.at(-1)).toMatch(/^0 errors, \d+ warnings?$/);
    output = [];
    expect(await run("check", q, "--json")).toBe(0);
    const findings = JSON.parse(output.join("\n"));
    expect(findings.every((f: { part: string; measure: string; suggestion: string }) => f.part && f.measure && f.suggestion)).toBe(true);
  });
});

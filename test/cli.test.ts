/** The command line as a user meets it: one clear line per problem, exit codes, nothing half-written. */
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { clock, createProgress, progressMode } from "../src/cli/progress.js";
import { cliHarness } from "./support/cli.js";
import { FIXTURES } from "./support/corpus.js";
import { xsdErrors } from "./support/xsd.js";

const cli = cliHarness("tutti-cli-");
const { errors, output, run } = cli;
let dir: string;
beforeEach(() => {
  dir = cli.folder();
});
const CHORALE = join(FIXTURES, "corpus/chorales/bwv66.6.mxl");

describe("tutti convert", () => {
  test("converts .mxl to valid MusicXML and to .mxl", async () => {
    expect(await run("convert", CHORALE, join(dir, "a.musicxml"))).toBe(0);
    expect(xsdErrors(readFileSync(join(dir, "a.musicxml"), "utf8"))).toEqual([]);
    expect(await run("convert", join(dir, "a.musicxml"), join(dir, "sub/b.mxl"))).toBe(0);
    expect(readFileSync(join(dir, "sub/b.mxl")).subarray(0, 2).toString()).toBe("PK");
    expect(errors).toEqual([]);
  });

  test("--report says how a MIDI performance was read: meter, key, grid, hands, dynamics, pedal", async () => {
    const snow = join(FIXTURES, "corpus/midi/pianomidi-debussy-childrens-corner-4.mid");
    expect(await run("convert", snow, join(dir, "snow.musicxml"), "--report")).toBe(0);
    expect(output).toEqual(expect.arrayContaining(["read: meter 4/4 from the file", "read: dynamics from the velocities: 3 marks, 1 hairpin", "read: the sustain pedal pressed 199 times, written as pedal lines under the left hand"]));
    expect(xsdErrors(readFileSync(join(dir, "snow.musicxml"), "utf8"))).toEqual([]);
    cli.clear();
    expect(await run("convert", snow, join(dir, "quiet.musicxml"))).toBe(0);
    expect(output).toEqual([]);
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
    expect(await run("convert", CHORALE, join(dir, "o.pdf"))).toBe(2);
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
    expect(await run("arrange", K545, "-e", "string-quartett", "-o", join(dir, "o"))).toBe(2);
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
    expect(await run("arrange", folder, "-e", "satb-choir", "-o", out, "--jobs", "1")).toBe(1);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/a-broken\.musicxml: not well-formed XML/);
    expect(errors[1]).toMatch(/c-corrupt\.mid: /);
    expect(readdirSync(out)).toEqual(["b-good.musicxml"]);
    expect(output.at(-3)).toMatch(/^1 of 3 arranged, 2 failed in [\d.]+ s \(1 job\)$/);
    expect(output.at(-2)).toMatch(/^  failed: .*a-broken\.musicxml: not well-formed XML/);
  });
});

describe("a lead sheet's chord symbols, from the command line", () => {
  const LEAD = join(FIXTURES, "corpus/leadsheets/foster-brown-hair.mxl");

  test("tutti analyse shows the lines arrange plays (the symbols filled in under the tune), or the tune alone with --no-chord-symbols", async () => {
    expect(await run("analyse", LEAD, "--out", join(dir, "a"))).toBe(0);
    expect(await run("analyse", LEAD, "--out", join(dir, "b"), "--no-chord-symbols")).toBe(0);
    const lines = (sub: string) => JSON.parse(readFileSync(join(dir, sub, "foster-brown-hair.analysis.json"), "utf8")).lineCount;
    expect(lines("b")).toBe(1);
    expect(lines("a")).toBeGreaterThanOrEqual(3);
  });

  test("tutti arrange --no-chord-symbols keeps the tune alone, and the report says nothing was realised", async () => {
    expect(await run("arrange", LEAD, "-e", "string-quartet", "--report", "-o", join(dir, "with"), "-q")).toBe(0);
    expect(await run("arrange", LEAD, "-e", "string-quartet", "--report", "-o", join(dir, "without"), "-q", "--no-chord-symbols")).toBe(0);
    const report = (sub: string) => JSON.parse(readFileSync(join(dir, sub, "foster-brown-hair.report.json"), "utf8"))[0];
    expect(report("with").chordSymbols).toMatch(/^40 chord symbols/);
    expect(report("without").chordSymbols).toBeUndefined();
    expect(report("without").tacet.length).toBeGreaterThan(report("with").tacet.length);
  });
});

describe("tutti arrange: batches", () => {
  const CHORALES = ["bwv66.6", "bwv123.6", "bwv13.6", "bwv153.1"].map((n) => join(FIXTURES, `corpus/chorales/${n}.mxl`));

  /** Every file under a folder, by relative path, with a hash of its bytes. */
  const tree = (root: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const walk = (d: string): void => {
      for (const n of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, n.name);
        if (n.isDirectory()) walk(p);
        else out[relative(root, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
      }
    };
    walk(root);
    return out;
  };

  /** Four chorales in a folder tree, three broken files and a file that is not a score. */
  const makeFolder = (): string => {
    const folder = join(dir, "in");
    mkdirSync(join(folder, "book2", "late"), { recursive: true });
    CHORALES.forEach((c, k) => writeFileSync(join(folder, ["", "book2", "book2/late", ""][k]!, `${["a", "b", "c", "d"][k]}.mxl`), readFileSync(c)));
    writeFileSync(join(folder, "broken-truncated.musicxml"), readFileSync(join(FIXTURES, "corpus/chorales/bwv66.6.mxl")).subarray(0, 0).toString() + "<?xml version='1.0'?><score-partwise><part-list>");
    writeFileSync(join(folder, "book2", "broken-corrupt.mid"), Buffer.from("MThd\u0000\u0000\u0000\u0006\u0000\u0001\u0000\u0002\u0001\u00e0MTrk\u0000\u0000\u00ff\u00ffgarbage"));
    writeFileSync(join(folder, "book2", "late", "broken-empty.mxl"), "");
    writeFileSync(join(folder, "notes.txt"), "not a score");
    return folder;
  };

  test("a folder tree with --jobs 1 and --jobs 2: the same outputs in the same layout, the broken files named, inputs untouched, nothing stray", async () => {
    const folder = makeFolder();
    const before = tree(folder);
    const results: Record<string, Record<string, string>> = {};
    for (const jobs of ["1", "2"]) {
      cli.clear();
      const out = join(dir, `out-${jobs}`);
      expect(await run("arrange", folder, "-e", "string-quartet", "-o", out, "--jobs", jobs)).toBe(1);
      results[jobs] = tree(out);
      expect(errors.sort()).toEqual([
        expect.stringMatching(/^tutti: .*book2\/broken-corrupt\.mid: the file is cut short/),
        expect.stringMatching(/^tutti: .*book2\/late\/broken-empty\.mxl: the file is empty$/),
        expect.stringMatching(/^tutti: .*broken-truncated\.musicxml: not well-formed XML: the file ends before <score-partwise>, <part-list> are closed/),
      ]);
      expect(output.filter((l) => l.includes(" → "))).toHaveLength(4);
      expect(output.find((l) => / of \d+ arranged/.test(l))).toMatch(new RegExp(`^4 of 7 arranged, 3 failed in [\\d.]+ s \\(${jobs} jobs?\\)$`));
    }
    expect(Object.keys(results["1"]!).sort()).toEqual(["a.musicxml", "book2/b.musicxml", "book2/late/c.musicxml", "d.musicxml"]);
    // Workers or not, the same bytes: arranging is deterministic and does not depend on the order files finish in.
    expect(results["2"]).toEqual(results["1"]);
    expect(tree(folder)).toEqual(before);
    for (const f of Object.keys(results["1"]!)) expect(xsdErrors(readFileSync(join(dir, "out-1", f), "utf8"))).toEqual([]);
  });

  test("a glob pattern keeps the layout under its fixed folder; --json summarises every file", async () => {
    const folder = makeFolder();
    const out = join(dir, "out");
    expect(await run("arrange", `${folder}/book2/**/*.mxl`, "-e", "satb-choir", "-o", out, "--json", "--jobs", "1")).toBe(1);
    expect(Object.keys(tree(out)).sort()).toEqual(["b.musicxml", "late/c.musicxml"]);
    const summary = JSON.parse(output.join("\n")) as { arranged: number; failed: number; jobs: number; files: { input: string; ok: boolean; outputs?: string[]; error?: string; code?: string }[] };
    expect(summary).toMatchObject({ arranged: 2, failed: 1, jobs: 1 });
    expect(summary.files.find((f) => !f.ok)).toMatchObject({ input: expect.stringMatching(/broken-empty\.mxl$/), code: "EMPTY_SCORE", error: "the file is empty" });
    expect(summary.files.filter((f) => f.ok).map((f) => f.outputs)).toEqual([[join(out, "b.musicxml")], [join(out, "late/c.musicxml")]]);
  });

  test("a missing file, a pattern that matches nothing, and two inputs that would write the same outputs fail alone", async () => {
    const folder = join(dir, "in");
    mkdirSync(folder);
    writeFileSync(join(folder, "x.mxl"), readFileSync(CHORALES[0]!));
    writeFileSync(join(folder, "x.musicxml"), "<score-partwise/>");
    const out = join(dir, "out");
    expect(await run("arrange", join(folder, "x.mxl"), join(folder, "x.musicxml"), join(dir, "missing.mid"), join(dir, "*.midi"), "-e", "string-quartet", "-o", out, "-q")).toBe(1);
    expect(errors).toEqual([
      `tutti: ${join(dir, "missing.mid")}: no such file`,
      `tutti: ${join(dir, "*.midi")}: the pattern matches no MusicXML, .mxl or MIDI files`,
      `tutti: ${join(folder, "x.musicxml")}: its outputs would have the same names as those of ${join(folder, "x.mxl")}; arrange it on its own or rename it`,
    ]);
    expect(readdirSync(out)).toEqual(["x.musicxml"]);
    expect(output).toEqual([]);
  });

  test("a folder arranged into a folder inside it, twice: the outputs of the first run are not taken as inputs", async () => {
    const folder = join(dir, "in");
    mkdirSync(join(folder, "sub"), { recursive: true });
    writeFileSync(join(folder, "a.mxl"), readFileSync(CHORALES[0]!));
    writeFileSync(join(folder, "sub", "b.mxl"), readFileSync(CHORALES[1]!));
    for (const pass of [1, 2]) {
      expect(await run("arrange", folder, "-e", "string-quartet", "-o", join(folder, "arranged"), "-q"), `pass ${pass}`).toBe(0);
      expect(await run("arrange", `${folder}/**/*`, "-e", "string-quartet", "-o", join(folder, "arranged"), "-q"), `pass ${pass}`).toBe(0);
    }
    expect(errors).toEqual([]);
    expect(Object.keys(tree(join(folder, "arranged"))).sort()).toEqual(["a.musicxml", "sub/b.musicxml"]);
  });

  test("an output folder that is a file, or behind one, fails the batch once, in one line", async () => {
    const folder = join(dir, "in");
    mkdirSync(folder);
    for (const n of ["a", "b", "c"]) writeFileSync(join(folder, `${n}.mxl`), readFileSync(CHORALES[0]!));
    writeFileSync(join(dir, "afile"), "not a folder");
    expect(await run("arrange", folder, "-e", "string-quartet", "-o", join(dir, "afile"))).toBe(1);
    expect(await run("arrange", folder, "-e", "string-quartet", "-o", join(dir, "afile", "out"), "--jobs", "2")).toBe(1);
    expect(errors).toEqual([
      `tutti: ${join(dir, "afile")}: the output folder is a file`,
      `tutti: ${join(dir, "afile", "out")}: cannot make the output folder: ${join(dir, "afile")} is a file, not a folder`,
    ]);
    expect(readFileSync(join(dir, "afile"), "utf8")).toBe("not a folder");
    // A folder where an output file should go: that file fails, in words.
    mkdirSync(join(dir, "out", "a.musicxml"), { recursive: true });
    expect(await run("arrange", join(folder, "a.mxl"), "-e", "string-quartet", "-o", join(dir, "out"))).toBe(1);
    expect(errors[2]).toBe(`tutti: ${join(folder, "a.mxl")}: cannot write ${join(dir, "out", "a.musicxml")}: a folder of that name is in the way`);
    expect(readdirSync(join(dir, "out"))).toEqual(["a.musicxml"]);
  });

  test("an output that would overwrite an input is refused and the input kept", async () => {
    const input = join(dir, "sketch.musicxml");
    const text = readFileSync(new URL("../scores/bach-bwv66.6-sketch.musicxml", import.meta.url), "utf8");
    writeFileSync(input, text);
    expect(await run("arrange", input, "-e", "string-quartet", "-o", dir, "-f", "musicxml,midi")).toBe(1);
    expect(errors).toEqual([`tutti: ${input}: refusing to overwrite the input file`]);
    expect(readFileSync(input, "utf8")).toBe(text);
    expect(readdirSync(dir)).toEqual(["sketch.musicxml"]);
  });

  test("SVG pages are written as they are engraved, the same from worker threads; a page that cannot be written fails its file and leaves nothing of it", async () => {
    const folder = join(dir, "in");
    mkdirSync(folder);
    writeFileSync(join(folder, "a.mxl"), readFileSync(CHORALES[0]!));
    writeFileSync(join(folder, "b.musicxml"), readFileSync(join(FIXTURES, "corpus/piano/clementi-sonatina-op36no1-mvt1.musicxml")));
    const args = (out: string, jobs: string): string[] => ["arrange", folder, "-e", "string-quartet", "-f", "musicxml,svg", "-o", out, "--jobs", jobs, "-q"];
    const made: Record<string, Record<string, string>> = {};
    for (const jobs of ["1", "2"]) {
      expect(await run(...args(join(dir, `out-${jobs}`), jobs))).toBe(0);
      made[jobs] = tree(join(dir, `out-${jobs}`));
    }
    // One page is <stem>.svg, three are <stem>-1.svg…; the worker threads post their pages one by one.
    expect(Object.keys(made["1"]!).sort()).toEqual(["a.musicxml", "a.svg", "b-1.svg", "b-2.svg", "b-3.svg", "b.musicxml"]);
    expect(made["2"]).toEqual(made["1"]);
    // A folder where b's second page goes: b fails after its first page was written (to a
    // temporary file), and none of b's outputs is left, nor any temporary file; a is written.
    for (const jobs of ["1", "2"]) {
      const out = join(dir, `blocked-${jobs}`);
      mkdirSync(join(out, "b-2.svg"), { recursive: true });
      cli.clear();
      expect(await run(...args(out, jobs))).toBe(1);
      expect(errors).toEqual([`tutti: ${join(folder, "b.musicxml")}: cannot write ${join(out, "b-2.svg")}: a folder of that name is in the way`]);
      expect(readdirSync(out).sort()).toEqual(["a.musicxml", "a.svg", "b-2.svg"]);
      expect(tree(out)).toEqual({ "a.musicxml": made["1"]!["a.musicxml"], "a.svg": made["1"]!["a.svg"] });
    }
  });

  test("usage errors exit 2 with one line and a pointer to --help, and write nothing", async () => {
    const out = join(dir, "o");
    expect(await run("arrange", CHORALES[0]!, "-e", "string-quartet", "-o", out, "--jobs", "0")).toBe(2);
    expect(await run("arrange", CHORALES[0]!, "-e", "string-quartet", "-o", out, "-f", "pdf")).toBe(2);
    expect(await run("arrange", CHORALES[0]!, "-o", out)).toBe(2);
    expect(await run("arrange", CHORALES[0]!, "-e", "string-quartet", "--jbos", "2")).toBe(2);
    expect(await run("frobnicate")).toBe(2);
    expect(errors).toEqual([
      'tutti: --jobs must be a whole number from 1 to 64, not "0" (see `tutti arrange --help`)',
      'tutti: unknown format "pdf"; use musicxml, mxl, midi, svg (see `tutti arrange --help`)',
      "tutti: required option '-e, --ensemble <spec>' not specified; see `tutti arrange --help`",
      "tutti: unknown option '--jbos' (Did you mean --jobs?); see `tutti arrange --help`",
      "tutti: unknown command 'frobnicate'; see `tutti --help`",
    ]);
    expect(existsSync(out)).toBe(false);
    // No command at all: the help, on stderr, and exit 2.
    const help: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (help.push(String(s)), true));
    expect(await run()).toBe(2);
    expect(help.join("")).toMatch(/^Usage: tutti \[options\] \[command\]/);
    expect(errors).toHaveLength(5);
  });

  test("--version prints the package's version; every command's --help has examples", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (written.push(String(s)), true));
    expect(await run("--version")).toBe(0);
    expect(written.join("").trim()).toBe(pkg.version);
    for (const cmd of ["arrange", "convert", "render", "analyse", "check", "instruments", "ensembles"]) {
      written.length = 0;
      expect(await run(cmd, "--help")).toBe(0);
      expect(written.join("")).toMatch(/Examples?:\n  \$ tutti /);
    }
  });
});

describe("tutti render", () => {
  const SONATINA = join(FIXTURES, "corpus/piano/clementi-sonatina-op36no1-mvt1.musicxml");

  test("writes the pages, each as it is engraved, all or none", async () => {
    const input = join(dir, "sonatina.musicxml");
    writeFileSync(input, readFileSync(SONATINA));
    expect(await run("render", input, "--out", join(dir, "pages"))).toBe(0);
    const pages = readdirSync(join(dir, "pages")).sort();
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).toEqual(pages.map((_, i) => `sonatina-${i + 1}.svg`).sort());
    expect(output).toEqual([pages.map((p) => join(dir, "pages", p)).sort((a, b) => a.localeCompare(b, "en", { numeric: true })).join("\n")]);
    // A folder in the way of the last page: no page is written, and no temporary file is left.
    const blocked = join(dir, "blocked");
    const last = pages.at(-1)!;
    mkdirSync(join(blocked, last), { recursive: true });
    expect(await run("render", input, "--out", blocked)).toBe(1);
    expect(errors).toEqual([`tutti: cannot write ${join(blocked, last)}: a folder of that name is in the way`]);
    expect(readdirSync(blocked)).toEqual([last]);
    expect(readdirSync(dir).sort()).toEqual(["blocked", "pages", "sonatina.musicxml"]);
  });
});

describe("--instruments: a user's own instruments and ensembles", () => {
  /** A folder with a new instrument (a viola d'amore, made from the viola), an ensemble using it, and one replacing a built-in. */
  const ownFolder = (): string => {
    const own = join(dir, "mine");
    mkdirSync(join(own, "instruments"), { recursive: true });
    mkdirSync(join(own, "ensembles"), { recursive: true });
    const viola = JSON.parse(readFileSync(new URL("../instruments/instruments/viola.json", import.meta.url), "utf8")) as Record<string, unknown>;
    writeFileSync(join(own, "instruments", "viola-d-amore.json"), JSON.stringify({ ...viola, id: "viola-d-amore", name: "Viola d'amore", shortName: "V. d'am." }));
    const parts = [{ instrument: "violin", name: "Violin I" }, { instrument: "violin", name: "Violin II" }, { instrument: "viola-d-amore" }, { instrument: "cello" }];
    writeFileSync(join(own, "ensembles", "amore-quartet.json"), JSON.stringify({ id: "amore-quartet", name: "Amore Quartet", description: "A string quartet with a viola d'amore.", instruments: parts }));
    writeFileSync(join(own, "ensembles", "string-trio.json"), JSON.stringify({ id: "string-trio", name: "My Trio", description: "Replaces the built-in trio.", instruments: parts.slice(1) }));
    return own;
  };
  const partNames = (file: string): string[] => [...readFileSync(file, "utf8").matchAll(/<part-name>([^<]*)<\/part-name>/g)].map((m) => m[1]!.replace(/&apos;/g, "'"));

  test("are listed, replace built-ins of the same id, and arrange, in worker threads too", async () => {
    const own = ownFolder();
    // The listings write to stdout directly.
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
    expect(await run("ensembles", "--json", "--instruments", own)).toBe(0);
    const listed = JSON.parse(output.join("\n")) as { id: string; name: string }[];
    expect(listed.find((e) => e.id === "amore-quartet")).toBeDefined();
    expect(listed.filter((e) => e.id === "string-trio")).toEqual([expect.objectContaining({ name: "My Trio" })]);
    output.length = 0;
    expect(await run("instruments", "--instruments", own)).toBe(0);
    expect(output.join("\n")).toMatch(/^viola-d-amore +Viola d'amore +strings/m);
    // Without the option, Tutti's own database only.
    expect(await run("arrange", CHORALE, "-e", "amore-quartet", "-o", join(dir, "x"))).toBe(2);
    expect(errors.pop()).toMatch(/unknown ensemble "amore-quartet"/);

    const folder = join(dir, "in");
    mkdirSync(folder);
    for (const n of ["a", "b"]) writeFileSync(join(folder, `${n}.mxl`), readFileSync(CHORALE));
    expect(await run("arrange", folder, "-e", "amore-quartet", "--instruments", own, "-o", join(dir, "out"), "--jobs", "2", "-q")).toBe(0);
    expect(errors).toEqual([]);
    for (const n of ["a", "b"]) expect(partNames(join(dir, "out", `${n}.musicxml`))).toEqual(["Violin I", "Violin II", "Viola d'amore", "Cello"]);
  });

  test("a broken file or a missing folder: one line naming it, exit 1, nothing written", async () => {
    const own = ownFolder();
    writeFileSync(join(own, "instruments", "kazoo.json"), '{"id": "kazoo", "name": "Kazoo"}');
    expect(await run("arrange", CHORALE, "-e", "string-quartet", "--instruments", own, "-o", join(dir, "out"))).toBe(1);
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^tutti: .*mine/instruments/kazoo\\.json: .+`))]);
    expect(await run("arrange", CHORALE, "-e", "string-quartet", "--instruments", join(dir, "nowhere"), "-o", join(dir, "out"))).toBe(1);
    expect(errors[1]).toBe(`tutti: ${join(dir, "nowhere")}: instrument folder not found`);
    mkdirSync(join(dir, "empty"));
    expect(await run("ensembles", "--instruments", join(dir, "empty"))).toBe(1);
    expect(errors[2]).toBe(`tutti: ${join(dir, "empty")}: the folder has neither an instruments/ nor an ensembles/ folder of JSON files in it`);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("the installed command (bin/tutti.js, the built CLI)", () => {
  /** Runs bin/tutti.js and closes its stdout after the first chunk, as `| head -1` does. */
  const runClosingEarly = (...args: string[]): Promise<{ code: number | null; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [fileURLToPath(new URL("../bin/tutti.js", import.meta.url)), ...args]);
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdout.once("data", () => child.stdout.destroy());
      child.on("close", (code) => resolve({ code, stderr }));
    });

  test("a reader that stops early (| head) gets no stack trace, and a batch still writes every file", async () => {
    expect(await runClosingEarly("instruments", "--json")).toEqual({ code: 0, stderr: "" });
    const folder = join(dir, "in");
    mkdirSync(folder);
    for (const n of ["a", "b", "c"]) writeFileSync(join(folder, `${n}.mxl`), readFileSync(CHORALE));
    const out = join(dir, "out");
    expect(await runClosingEarly("arrange", folder, "-e", "string-quartet", "-o", out, "--jobs", "1")).toEqual({ code: 0, stderr: "" });
    expect(readdirSync(out).sort()).toEqual(["a.musicxml", "b.musicxml", "c.musicxml"]);
  });
});

describe("tutti check", () => {
  test("a clean quartet exits 0 with warnings counted; --json gives the findings", async () => {
    const q = join(FIXTURES, "corpus/quartets/mozart-k458-mvt1.mxl");
    expect(await run("check", q)).toBe(0);
    expect(output.at(-1)).toMatch(/^0 errors, \d+ warnings?$/);
    output.length = 0;
    expect(await run("check", q, "--json")).toBe(0);
    const findings = JSON.parse(output.join("\n"));
    expect(findings.every((f: { part: string; measure: string; suggestion: string }) => f.part && f.measure && f.suggestion)).toBe(true);
  });
});

describe("batch progress", () => {
  test("on a terminal: one redrawn line with the bar, files done, time left and the current file; failures above it", () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (written.push(String(s)), true));
    let now = 0;
    const progress = createProgress("bar", 4, () => now);
    progress.started("a.mid");
    now = 10_000;
    progress.arranged("a.mid", ["out/a.musicxml"], []);
    progress.started("b.mid");
    progress.failed("b.mid", "b.mid: the file is empty");
    progress.finish();
    expect(written[0]).toBe("\r\x1b[K[--------------------] 0/4  a.mid");
    expect(written).toContain("\r\x1b[K[#####---------------] 1/4  0:30 left  ");
    expect(written).toContain("\r\x1b[K[#####---------------] 1/4  0:30 left  b.mid");
    expect(errors).toEqual(["tutti: b.mid: the file is empty"]);
    expect(written.at(-1)).toBe("\r\x1b[K");
    expect(output).toEqual([]);
  });

  test("elsewhere: a plain line per file; quiet: failures only", () => {
    const lines = createProgress(progressMode({}, { isTTY: false }), 2);
    lines.arranged("a.mid", ["out/a.musicxml", "out/a.mid"], ["summary"]);
    expect(output).toEqual(["a.mid → out/a.musicxml, out/a.mid", "summary"]);
    const quiet = createProgress(progressMode({ quiet: true }, { isTTY: true }), 2);
    quiet.arranged("b.mid", ["out/b.musicxml"], []);
    quiet.failed("c.mid", "not a MIDI file");
    expect(output).toHaveLength(2);
    expect(errors).toEqual(["tutti: c.mid: not a MIDI file"]);
    expect(clock(75)).toBe("1:15");
  });
});

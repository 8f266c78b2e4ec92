/**
 * The hostile-input set (test/support/hostile-cases.ts), every case through the command line as a
 * user would meet it: one clear line naming the file and the problem, exit 1, no stack, nothing
 * written, within seconds and bounded memory, and nothing from outside the input (the content of
 * a secret file the XXE cases point at, or of /etc/passwd) in any message or output. The cases
 * that are legitimately readable (running status, overlapping notes, UTF-16…) must be arranged.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { hostileCases, SECRET } from "./support/hostile-cases.js";
import { main } from "../src/cli/main.js";
import { TuttiError } from "../src/model/errors.js";
import { arrange } from "../src/orchestrate/index.js";
import { readScore } from "../src/read/index.js";

const dir = mkdtempSync(join(tmpdir(), "tutti-hostile-"));
const secretFile = join(dir, "secret.txt");
writeFileSync(secretFile, `${SECRET}\n`);
const cases = hostileCases({ secretFile });

/** Strings that must never come out: the secret, and the first line of /etc/passwd if there is one. */
const FORBIDDEN = [SECRET, ...(existsSync("/etc/passwd") ? [readFileSync("/etc/passwd", "utf8").split("\n")[0]!].filter((l) => l.length > 8) : [])];

const MiB = 1024 * 1024;
/** Generous bounds, so a loaded machine does not make them flaky; measured figures are far below. */
const SECONDS = 20;
const HEAP_GROWTH = 1024 * MiB;

const measured: { name: string; ms: number; heapMiB: number }[] = [];

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  const slowest = [...measured].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const heaviest = [...measured].sort((a, b) => b.heapMiB - a.heapMiB).slice(0, 3);
  process.stdout.write(
    `hostile inputs: ${measured.length} cases; slowest ${slowest.map((m) => `${m.name} ${m.ms} ms`).join(", ")}; ` +
      `most heap ${heaviest.map((m) => `${m.name} +${m.heapMiB} MiB`).join(", ")}\n`,
  );
});

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function leaks(text: string): string[] {
  return FORBIDDEN.filter((f) => text.includes(f));
}

test("the set covers the issue: at least 40 cases, both kinds, names unique", () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  expect(cases.filter((c) => c.expect === "error").length).toBeGreaterThan(40);
  expect(cases.filter((c) => c.expect === "ok").length).toBeGreaterThan(10);
  for (const c of cases) if (c.expect === "error") expect(c.message, c.name).toBeDefined();
});

describe("every hostile input through `tutti arrange`", () => {
  for (const c of cases) {
    test(`${c.name}: ${c.what} → ${c.expect}`, async () => {
      const input = join(dir, c.name);
      writeFileSync(input, c.bytes());
      const out = join(dir, "out", c.name);
      const errors: string[] = [];
      const output: string[] = [];
      const err = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
      const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void output.push(a.join(" ")));
      const heap = process.memoryUsage().heapUsed;
      const start = performance.now();
      let code: number;
      try {
        code = await main(["node", "tutti", "arrange", input, "-e", "string-quartet", "-f", "musicxml,midi", "-o", out]);
      } finally {
        err.mockRestore();
        log.mockRestore();
      }
      const ms = Math.round(performance.now() - start);
      const heapMiB = Math.round((process.memoryUsage().heapUsed - heap) / MiB);
      measured.push({ name: c.name, ms, heapMiB });
      rmSync(input, { force: true });

      expect(ms, "seconds").toBeLessThan(SECONDS * 1000);
      expect(heapMiB * MiB, "heap growth").toBeLessThan(HEAP_GROWTH);
      const written = filesUnder(out);
      const said = [...errors, ...output].join("\n");
      expect(leaks(said), "a message leaks").toEqual([]);
      for (const f of written) expect(leaks(readFileSync(f, "latin1")), `${f} leaks`).toEqual([]);

      if (c.expect === "error") {
        expect(code).toBe(1);
        expect(errors).toHaveLength(1);
        const line = errors[0]!;
        expect(line.startsWith(`tutti: ${input}: `), line).toBe(true);
        expect(line).not.toMatch(/\n|\s+at \S+ \(|\.ts:\d+/);
        expect(line.length).toBeLessThan(400);
        expect(line.slice(`tutti: ${input}: `.length)).toMatch(c.message!);
        expect(written, "files written").toEqual([]);
      } else {
        expect(errors, "no error").toEqual([]);
        expect(code).toBe(0);
        expect(written.map((f) => f.slice(out.length + 1)).sort()).toEqual([c.name.replace(/\.[^.]+$/, ".mid"), c.name.replace(/\.[^.]+$/, ".musicxml")].sort());
      }
      rmSync(out, { recursive: true, force: true });
    });
  }
});

describe("the same inputs through the library", () => {
  // The huge cases were covered above; the library check is about what is thrown and returned.
  const small = cases.filter((c) => !/^(huge-file|many-elements|deep-nesting-root|mxl-bomb|midi-too-many-notes|thousands-of)/.test(c.name));
  for (const c of small) {
    test(`readScore(${c.name}) ${c.expect === "error" ? "throws a TuttiError naming the file" : "returns a score"}`, () => {
      let thrown: unknown;
      try {
        const score = readScore(c.bytes(), c.name);
        expect(c.expect, `${c.name} was read`).toBe("ok");
        expect(score.parts.length).toBeGreaterThan(0);
      } catch (e) {
        thrown = e;
      }
      if (c.expect === "ok") {
        expect(thrown).toBeUndefined();
        return;
      }
      expect(thrown).toBeInstanceOf(TuttiError);
      expect((thrown as TuttiError).file).toBe(c.name);
      expect((thrown as TuttiError).code).not.toBe("UNREADABLE");
      expect((thrown as TuttiError).message).toMatch(c.message!);
    });
  }
});

describe("scores without notes", () => {
  let rests: ReturnType<typeof readScore>;
  beforeAll(() => {
    const c = cases.find((x) => x.name === "rests-only.musicxml")!;
    rests = readScore(c.bytes(), c.name);
  });

  test("a score of rests arranges into parts of rests, for any ensemble and style", () => {
    for (const id of ["string-quartet", "symphony-orchestra", "satb-choir"]) {
      for (const style of ["plain", "rich"] as const) {
        const [best] = arrange(rests, id, undefined, { style });
        expect(best, `${id} ${style}`).toBeDefined();
        const notes = best!.score.parts.flatMap((p) => p.measures.flatMap((m) => m.events.filter((e) => e.kind === "note")));
        expect(notes).toEqual([]);
      }
    }
  });

  test("empty scores and files without notes are refused with one line each", () => {
    const none = cases.filter((c) => ["empty-measures.musicxml", "no-parts.musicxml", "midi-no-notes.mid", "midi-no-tracks.mid"].includes(c.name));
    expect(none).toHaveLength(4);
    for (const c of none) {
      expect(() => readScore(c.bytes(), c.name)).toThrow(TuttiError);
      try {
        readScore(c.bytes(), c.name);
      } catch (e) {
        expect((e as TuttiError).code, c.name).toBe("EMPTY_SCORE");
      }
    }
  });
});

test("--debug shows the stack; without it there is none", async () => {
  const c = cases.find((x) => x.name === "divisions-zero.musicxml")!;
  const input = join(dir, c.name);
  writeFileSync(input, c.bytes());
  mkdirSync(join(dir, "debug"), { recursive: true });
  const errors: string[] = [];
  const err = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
  try {
    expect(await main(["node", "tutti", "arrange", input, "-e", "string-quartet", "-o", join(dir, "debug"), "--debug"])).toBe(1);
  } finally {
    err.mockRestore();
  }
  expect(errors.join("\n")).toMatch(/<divisions> is 0[\s\S]*\n\s+at /);
  expect(filesUnder(join(dir, "debug"))).toEqual([]);
});

test.runIf(existsSync("/dev/zero"))("an endless input (/dev/zero) is refused once past the size limit, not read forever", async () => {
  const errors: string[] = [];
  const err = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
  const start = performance.now();
  try {
    expect(await main(["node", "tutti", "arrange", "/dev/zero", "-e", "string-quartet", "-o", join(dir, "zero")])).toBe(1);
  } finally {
    err.mockRestore();
  }
  expect(performance.now() - start).toBeLessThan(SECONDS * 1000);
  expect(errors).toEqual(["tutti: /dev/zero: the file is larger than 256 MiB; refusing it"]);
  expect(filesUnder(join(dir, "zero"))).toEqual([]);
});

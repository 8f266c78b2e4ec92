/**
 * Fuzzing the readers: corpus files mutated at random (seeded, so every run tries the same
 * inputs), and plain random bytes. Whatever comes in, a reader returns a score or throws a
 * `TuttiError` with a message for people: never another exception, never a hang. Bounded: a few
 * hundred inputs per reader, each small.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { TuttiError } from "../src/model/errors.js";
import { readScore } from "../src/read/index.js";
import { readMidi } from "../src/read/midi.js";
import { readMusicXml } from "../src/read/musicxml/index.js";
import { unpackMxl } from "../src/read/mxl.js";
import { parseXml } from "../src/xml/parse.js";
import { FIXTURES } from "./support/corpus.js";
import { concatBytes } from "../src/model/bytes.js";

/** Deterministic by default; `TUTTI_FUZZ_SEED` and `TUTTI_FUZZ_SCALE` (a multiplier of the runs) explore further. */
const SEED = Number(process.env.TUTTI_FUZZ_SEED ?? 20261125);
const SCALE = Number(process.env.TUTTI_FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
/** The slowest a single small input may take; a hang shows as a failure here, not a stuck run. */
const MAX_MS = 3000;

/** The smallest files of a corpus folder, so that a run stays short. */
function smallest(folder: string, ext: RegExp, count: number): Uint8Array[] {
  const dir = join(FIXTURES, "corpus", folder);
  return readdirSync(dir)
    .filter((f) => ext.test(f))
    .map((f) => ({ f, size: statSync(join(dir, f)).size }))
    .sort((a, b) => a.size - b.size || a.f.localeCompare(b.f))
    .slice(0, count)
    .map(({ f }) => new Uint8Array(readFileSync(join(dir, f))));
}

const XML = [...smallest("edge/lilypond-suite", /\.xml$/, 24), ...smallest("edge", /\.musicxml$/, 3)];
const MXL = smallest("chorales", /\.mxl$/, 6);
const MIDI = smallest("midi", /\.mid$/, 6);

/** Values a number in a score can be given to make trouble. */
const NUMBERS = ["0", "-1", "-4", "1e308", "1e-308", "NaN", "Infinity", "2.5", "99999999999999999999", "", "abc", "0x10", "4294967296", "-0", " 7 "];

type Mutation =
  | { kind: "flip"; at: number; byte: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "duplicate"; at: number; length: number; to: number }
  | { kind: "truncate"; at: number }
  | { kind: "number"; which: number; value: string }
  | { kind: "tag"; which: number; name: string };

const position = fc.nat({ max: 1 << 20 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: position, length: fc.integer({ min: 1, max: 400 }), to: position }),
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({ kind: fc.constant("number" as const), which: fc.nat(), value: fc.constantFrom(...NUMBERS) }),
  fc.record({ kind: fc.constant("tag" as const), which: fc.nat(), name: fc.constantFrom("note", "measure", "part", "backup", "forward", "chord", "staff", "voice", "divisions", "__proto__", "x") }),
);

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input;
  for (const m of mutations) {
    const n = Math.max(1, b.length);
    switch (m.kind) {
      case "flip": {
        b = b.slice();
        if (b.length) b[m.at % n] = m.byte;
        break;
      }
      case "delete": {
        const at = m.at % n;
        b = concat(b.subarray(0, at), b.subarray(at + m.length));
        break;
      }
      case "insert": {
        const at = m.at % n;
        b = concat(b.subarray(0, at), m.bytes, b.subarray(at));
        break;
      }
      case "duplicate": {
        const at = m.at % n;
        const to = m.to % n;
        b = concat(b.subarray(0, to), b.subarray(at, at + m.length), b.subarray(to));
        break;
      }
      case "truncate":
        b = b.subarray(0, m.at % n);
        break;
      case "number":
      case "tag": {
        // Text-aware: the nth number between tags, or the nth tag name, replaced.
        const text = new TextDecoder().decode(b);
        const re = m.kind === "number" ? />(-?[\d.]+)</g : /<(\/?)([A-Za-z][\w-]*)/g;
        const hits = [...text.matchAll(re)];
        if (hits.length === 0) break;
        const hit = hits[m.which % hits.length]!;
        const replaced = m.kind === "number" ? `>${m.value}<` : `<${hit[1]}${m.name}`;
        b = new TextEncoder().encode(text.slice(0, hit.index) + replaced + text.slice(hit.index! + hit[0].length));
        break;
      }
    }
  }
  return b;
}

const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

/** Runs a reader: a result, or a TuttiError with a one-line message; anything else fails the property. */
function survives(read: () => unknown): boolean {
  const start = performance.now();
  try {
    read();
  } catch (err) {
    if (!(err instanceof TuttiError)) throw err;
    expect(err.message).not.toMatch(/\n/);
    expect(err.message.length).toBeLessThan(600);
  }
  expect(performance.now() - start).toBeLessThan(MAX_MS);
  return true;
}

/** Through readScore, which wraps any other exception: a wrapped one ("could not be read") is a reader bug. */
function readsCleanly(bytes: Uint8Array, name: string): boolean {
  return survives(() => {
    try {
      readScore(bytes, name);
    } catch (err) {
      if (err instanceof TuttiError && err.code === "UNREADABLE") throw new Error(`an exception escaped the reader: ${err.message}`);
      throw err;
    }
  });
}

const mutated = (files: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.integer({ min: 0, max: files.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([i, ms]) => mutate(files[i]!, ms));

const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

describe("fuzzing the readers (seeded)", () => {
  test("the corpus is there to mutate", () => {
    expect(XML.length).toBeGreaterThan(20);
    expect(MXL.length).toBe(6);
    expect(MIDI.length).toBe(6);
  });

  test("MusicXML: mutated corpus files", () => {
    fc.assert(fc.property(mutated(XML), (b) => survives(() => readMusicXml(decode(b), "fuzz.musicxml"))), { seed: SEED, numRuns: runs(600) });
  });

  test("MusicXML through readScore: mutated corpus files", () => {
    fc.assert(fc.property(mutated(XML), (b) => readsCleanly(b, "fuzz.musicxml")), { seed: SEED + 1, numRuns: runs(300) });
  });

  test("XML: random text around markup", () => {
    const piece = fc.constantFrom("<a>", "</a>", "<b x='1'/>", "<!DOCTYPE a [", "]>", "<!ENTITY e 'x'>", "&e;", "&amp;", "&#", "<![CDATA[", "]]>", "<!--", "-->", "<?x ", "?>", "\"", "'", ">", "<", "%p;", "\u0000", "é");
    fc.assert(fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 40 }), (parts) => survives(() => parseXml(parts.join("")))), { seed: SEED + 2, numRuns: runs(1500) });
  });

  test(".mxl: mutated archives", () => {
    fc.assert(fc.property(mutated(MXL), (b) => survives(() => unpackMxl(b)) && readsCleanly(b, "fuzz.mxl")), { seed: SEED + 3, numRuns: runs(400) });
  });

  test("MIDI: mutated corpus files", () => {
    fc.assert(fc.property(mutated(MIDI), (b) => survives(() => readMidi(b, "fuzz.mid")) && readsCleanly(b, "fuzz.mid")), { seed: SEED + 4, numRuns: runs(300) });
  });

  test("MIDI: a valid header, then random tracks", () => {
    const header = Uint8Array.from([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 1, 0, 96]);
    const track = fc.uint8Array({ maxLength: 200 }).map((body) => concat(Uint8Array.from([0x4d, 0x54, 0x72, 0x6b, 0, 0, (body.length >> 8) & 0xff, body.length & 0xff]), body));
    fc.assert(fc.property(track, (t) => readsCleanly(concat(header, t), "fuzz.mid")), { seed: SEED + 5, numRuns: runs(1000) });
  });

  test("random bytes under any name", () => {
    const name = fc.constantFrom("x.musicxml", "x.xml", "x.mxl", "x.mid", "x");
    const start = fc.constantFrom("", "PK\u0003\u0004", "MThd", "<?xml version='1.0'?>", "\ufeff<", "\u00ff\u00fe<\u0000");
    fc.assert(
      fc.property(start, fc.uint8Array({ maxLength: 300 }), name, (s, rest, n) => {
        const head = Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));
        return readsCleanly(concat(head, rest), n);
      }),
      { seed: SEED + 6, numRuns: runs(1500) },
    );
  });
});

/**
 * The fast paths of issue 10 against what they replaced: each must give exactly the slow path's
 * answer (the benchmark compares whole arrangements byte for byte; these pin the pieces).
 */
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatenate, notesOf, pianoSketchOf } from "./support/bench-sketch.js";
import { durationOfType, NOTE_TYPES, notatedOf } from "../src/model/durations.js";
import { cmp, eq, type Fraction, frac } from "../src/model/fraction.js";
import { ascending, dealBySpan, firstAtOrAfter, lastAtOrBefore, timeKey } from "../src/model/search.js";
import { clonePlain, copyFlat } from "../src/render/vexflow-speed.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { childrenText, elementText, x, type XmlOut } from "../src/xml/serialize.js";
import { buildXml } from "./support/xml-builder.js";
import { xsdErrors } from "./support/xsd.js";

const fraction = fc.tuple(fc.integer({ min: -40, max: 200 }), fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 16)).map(([n, d]) => frac(n, d));
const sortedTimes = fc.array(fraction, { maxLength: 30 }).map((xs) => [...xs].sort(cmp));

describe("bisection over sorted times", () => {
  it("finds what a scan from the start finds", () => {
    fc.assert(
      fc.property(sortedTimes, fraction, (times, t) => {
        let last = -1;
        times.forEach((u, i) => cmp(u, t) <= 0 && (last = i));
        const first = times.findIndex((u) => cmp(u, t) >= 0);
        expect(ascending(times)).toBe(true);
        expect(lastAtOrBefore(times, t)).toBe(last);
        expect(firstAtOrAfter(times, t)).toBe(first < 0 ? times.length : first);
      }),
    );
  });

  it("deals items into spans as a filter per span would, following spans or not", () => {
    const filtered = <T extends { onset: Fraction }>(items: readonly T[], s: { start: Fraction; end: Fraction }): T[] =>
      items.filter((it) => cmp(it.onset, s.start) >= 0 && cmp(it.onset, s.end) < 0);
    fc.assert(
      fc.property(sortedTimes, fc.array(fraction, { maxLength: 40 }), (bounds, onsets) => {
        const distinct = bounds.filter((b, i) => i === 0 || cmp(bounds[i - 1]!, b) < 0);
        const spans = distinct.slice(0, -1).map((start, i) => ({ start, end: distinct[i + 1]! }));
        const items = onsets.map((onset, i) => ({ onset, i }));
        const dealt = dealBySpan(items, spans);
        expect(dealt).toHaveLength(spans.length);
        spans.forEach((s, k) => expect(dealt[k]).toEqual(filtered(items, s)));
      }),
    );
    // Spans that do not follow one another (empty, overlapping, out of order) give the same.
    fc.assert(
      fc.property(fc.array(fc.tuple(fraction, fraction), { maxLength: 8 }), fc.array(fraction, { maxLength: 40 }), (pairs, onsets) => {
        const spans = pairs.map(([start, end]) => ({ start, end }));
        const items = onsets.map((onset, i) => ({ onset, i }));
        const dealt = dealBySpan(items, spans);
        expect(dealt).toHaveLength(spans.length);
        spans.forEach((s, k) => expect(dealt[k]).toEqual(filtered(items, s)));
      }),
    );
    const items = [frac(0), frac(1), frac(2)].map((onset) => ({ onset }));
    expect(dealBySpan(items, [{ start: frac(1), end: frac(1) }])).toEqual([[]]);
    expect(dealBySpan(items, [{ start: frac(0), end: frac(2) }, { start: frac(1), end: frac(3) }])).toEqual([items.slice(0, 2), items.slice(1, 3)]);
  });

  it("keys equal times equally, however written", () => {
    expect(timeKey({ n: 2, d: 8 })).toBe(timeKey(frac(1, 4)));
    expect(timeKey(frac(0))).toBe("0/1");
  });
});

describe("notated values from tables", () => {
  it("agree with the search over every type, dots and tuplet", () => {
    const search = (d: Fraction, maxDots: number): { type: string; dots: number } | undefined => {
      for (const type of NOTE_TYPES) for (let dots = 0; dots <= maxDots; dots++) if (eq(durationOfType(type, dots), d)) return { type, dots };
      return undefined;
    };
    const durations = new Set<string>();
    for (const type of NOTE_TYPES) for (let dots = 0; dots <= 6; dots++) durations.add(`${durationOfType(type, dots).n}/${durationOfType(type, dots).d}`);
    for (let n = 1; n <= 64; n++) durations.add(`${n}/64`).add(`${n}/48`);
    for (const key of durations) {
      const [n, d] = key.split("/").map(Number) as [number, number];
      for (let maxDots = 0; maxDots <= 6; maxDots++) expect(notatedOf(frac(n, d), undefined, maxDots)).toEqual(search(frac(n, d), maxDots));
      const t = { actual: 3, normal: 2 };
      const plain = frac(n * 3, d * 2);
      expect(notatedOf(frac(n, d), t)).toEqual(search(plain, 3));
    }
  });
});

describe("XML text written in pieces", () => {
  const text = fc.constantFrom("", " ", "a", "a<b", "x & y", "'q'", '"dq"', "/>", "</", "line\nbreak", "3", "é ü");
  const tree: fc.Arbitrary<XmlOut> = fc.letrec<{ node: XmlOut }>((tie) => ({
    node: fc
      .tuple(
        fc.constantFrom("m", "note", "p-q"),
        fc.option(fc.dictionary(fc.constantFrom("a", "b-c", "id", "type"), fc.option(fc.oneof(text, fc.integer({ min: 0, max: 9 })), { nil: undefined })), { nil: undefined }),
        fc.array(fc.oneof({ depthSize: "small" }, text, fc.constant(undefined), fc.constant(false as const), fc.integer({ min: 0, max: 99 }), tie("node")), { maxLength: 4 }),
      )
      .map(([name, attrs, kids]) => x(name, attrs, ...kids)),
  })).node;

  it("is the builder's text, byte for byte", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(elementText(t, "\n").trim() + "\n").toBe(buildXml(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("makes a root of its children as the builder does", () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), (kids) => {
        expect(`<r>${childrenText(kids, "\n  ")}\n</r>\n`).toBe(buildXml(x("r", {}, ...kids)));
      }),
    );
  });
});

describe("VexFlow's drawing state copied", () => {
  it("as structuredClone copies plain data", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(clonePlain(v)).toStrictEqual(structuredClone(v));
      }),
    );
    const state = { scaleX: 1, "font-family": "Bravura", dash: [3, 2], nested: { a: undefined } };
    const copy = clonePlain(state);
    expect(copy).toStrictEqual(state);
    expect(copy.dash).not.toBe(state.dash);
  });

  it("flat, by a spread, as structuredClone copies it; not flat, by clonePlain", () => {
    const primitive = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), primitive), (v) => {
        const copy = copyFlat(v);
        expect(copy).toStrictEqual(structuredClone(v));
        expect(copy).not.toBe(v);
      }),
    );
    const state = { scaleX: 1, dash: [3, 2] };
    expect(copyFlat(state).dash).not.toBe(state.dash);
    expect(copyFlat(state)).toStrictEqual(state);
  });
});

describe("long bench sketches", () => {
  const dir = fileURLToPath(new URL("../fixtures/corpus/quartets/", import.meta.url));
  it("append real pieces into one valid piano score of the length asked", () => {
    const pieces = ["haydn-op74no1-mvt2.mxl", "mozart-k458-mvt1.mxl"].map((f) => pianoSketchOf(dir + f));
    const lengths = pieces.map((p) => p.parts[0]!.measures.length);
    const want = lengths[0]! + Math.floor(lengths[1]! / 2);
    const long = concatenate(pieces, want);
    const measures = long.parts[0]!.measures;
    expect(measures).toHaveLength(want);
    expect(measures.map((m) => m.number)).toEqual(measures.map((_, i) => String(i + 1)));
    // The second piece states its key, time and clefs again, and the cut leaves no tie open.
    expect(measures[lengths[0]!]!.attributes.key).toEqual(pieces[1]!.parts[0]!.measures[0]!.attributes.key);
    expect(measures[lengths[0]!]!.attributes.clefs).toHaveLength(2);
    expect(measures[want - 1]!.events.some((e) => e.kind === "note" && e.notes.some((n) => n.tieStart))).toBe(false);
    expect(notesOf(long)).toBeGreaterThan(notesOf(pieces[0]!));
    expect(xsdErrors(writeMusicXml(long))).toEqual([]);
  });
});

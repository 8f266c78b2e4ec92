/**
 * The core runs in a browser (README, STYLE habit 5): `src/index.ts` and everything it imports is
 * bundled by esbuild for the browser platform, which refuses Node built-ins, and the bundle is
 * then run in a fresh `node:vm` context that has only browser-like globals (no `process`,
 * `require`, `Buffer`), through a real round trip: read MusicXML, write MusicXML and MIDI, read
 * the MIDI back, build the instrument database from its JSON, arrange a chorale sketch and
 * engrave it with an injected (stand-in) canvas.
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, test } from "vitest";
import type * as Core from "../src/index.js";
import type * as Orchestrate from "../src/orchestrate/index.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const INSTRUMENTS = fileURLToPath(new URL("../instruments/", import.meta.url));

/** Node globals a browser does not have, as code (not prose in comments) uses them. */
const NODE_GLOBAL = /\bprocess\.[a-z]|\bBuffer\b|\brequire\(|\b__dirname\b|\b__filename\b|\bimport\.meta\b/;

/**
 * `src/index.ts` is the public API. `arrange` is not exported from it (yet), though the README's
 * library example imports it from "tutti"; `src/orchestrate` is a core folder all the same, so
 * the entry brings it in too. The entry exposes both as a global: the ESM bundle then has no
 * `export` statement and runs as a plain script in the vm context.
 */
const ENTRY = `
import * as core from "./src/index.ts";
import { arrange, summarise } from "./src/orchestrate/index.ts";
globalThis.tutti = { ...core, arrange, summarise };
`;

type Tutti = typeof Core & Pick<typeof Orchestrate, "arrange" | "summarise">;

let code = "";
let metafile: Metafile;

beforeAll(async () => {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: "ts", sourcefile: "browser-entry.ts" },
    platform: "browser",
    format: "esm",
    bundle: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  // esbuild throws on errors (an unresolvable `fs` or `node:` import among them); a warning is still worth a look.
  expect(result.errors).toEqual([]);
  expect(result.warnings.map((w) => w.text)).toEqual([]);
  code = result.outputFiles[0]!.text;
  metafile = result.metafile;
});

describe("the core bundled for the browser", () => {
  test("needs no Node built-in and nothing from src/node or src/cli", () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain("src/index.ts");
    const builtin = (path: string): boolean => path.startsWith("node:") || builtinModules.includes(path.split("/")[0]!);
    expect(inputs.filter(builtin)).toEqual([]);
    expect(inputs.filter((i) => /^src\/(node|cli)\//.test(i))).toEqual([]);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports);
    expect(imports.filter((i) => builtin(i.path) || i.external)).toEqual([]);
    for (const output of Object.values(metafile.outputs)) expect(output.imports).toEqual([]);
  });

  test("Tutti's own sources use no Node global", () => {
    const ours = Object.keys(metafile.inputs).filter((i) => i.startsWith("src/"));
    expect(ours.length).toBeGreaterThan(20);
    const offenders = ours.flatMap((file) =>
      readFileSync(ROOT + file, "utf8")
        .split("\n")
        .map((line, i) => ({ file, line: i + 1, text: line.replace(/\/\/.*$|\/\*.*?\*\/|^\s*\*.*$/g, "") }))
        .filter((l) => NODE_GLOBAL.test(l.text))
        .map((l) => `${l.file}:${l.line}: ${l.text.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  test("reads, writes, arranges and engraves in a context with browser globals only", () => {
    const sandbox = { TextEncoder, TextDecoder, console, structuredClone, URL } as Record<string, unknown>;
    const context = vm.createContext(sandbox);
    expect(vm.runInContext("[typeof process, typeof require, typeof Buffer, typeof setImmediate]", context)).toEqual(["undefined", "undefined", "undefined", "undefined"]);
    vm.runInContext(code, context, { filename: "tutti-browser.js" });
    const tutti = sandbox.tutti as Tutti;
    // Bytes made in the context's realm, as a browser's fetch would give them.
    const ContextUint8Array = vm.runInContext("Uint8Array", context) as Uint8ArrayConstructor;
    const inContext = (bytes: Uint8Array): Uint8Array => new ContextUint8Array(bytes);

    // MusicXML in and out.
    const name = "01a-Pitches-Pitches.xml";
    const score = tutti.readScore(inContext(bytesOf(`${FIXTURES}corpus/edge/lilypond-suite/${name}`)), name);
    const notes = tutti.scoreNotes(score).flat().filter((n) => n.pitch).length;
    expect(notes).toBeGreaterThan(20);
    const xml = tutti.writeMusicXml(score);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"/);
    const again = tutti.readScore(new TextEncoder().encode(xml), "again.musicxml");
    const keys = (s: typeof score): string[] => tutti.scoreNotes(s).flat().map((n) => tutti.noteKey(n));
    expect(keys(again)).toEqual(keys(score));
    // .mxl and MIDI too.
    expect(tutti.readScore(tutti.writeScore(score, "mxl"), "again.mxl").parts.length).toBe(1);
    const midi = tutti.writeScore(score, "midi");
    expect(tutti.readScore(midi, "again.mid").parts.length).toBeGreaterThan(0);

    // The instrument database from its JSON, as a page would fetch it.
    const json = (path: string): string => readFileSync(INSTRUMENTS + path, "utf8");
    const players = ["violin", "viola", "cello"].map((id) => tutti.parseInstrument(json(`instruments/${id}.json`), `${id}.json`));
    const quartet = tutti.parseEnsemble(json("ensembles/string-quartet.json"), "string-quartet.json");
    const db = tutti.createDatabase(players, [quartet]);

    // A chorale pressed into a piano sketch, arranged for string quartet.
    const chorale = tutti.readScore(inContext(bytesOf(`${FIXTURES}corpus/chorales/bwv66.6.mxl`)), "bwv66.6.mxl");
    const { sketch } = tutti.reduceToPiano(chorale);
    const [best] = tutti.arrange(sketch, tutti.ensemble(db, "string-quartet"), db);
    expect(best!.score.parts.length).toBe(4);
    expect(best!.score.parts.map((p) => p.name)).toEqual(["Violin I", "Violin II", "Viola", "Cello"]);
    expect(tutti.summarise(best!.report)).toMatch(/notes: (\d+) of \1 placed/);
    expect(tutti.writeMusicXml(best!.score)).toContain("<part-list>");

    // The renderer, with a stand-in for the canvas a page would inject (an OffscreenCanvas):
    // widths are rough, but the engraving runs without a `document` and without fonts on disk.
    const measureText = (text: string) => ({ width: 7 * text.length, actualBoundingBoxAscent: 7, actualBoundingBoxDescent: 2, fontBoundingBoxAscent: 8, fontBoundingBoxDescent: 2 });
    const canvas = { getContext: () => ({ font: "10px Bravura", measureText }) };
    const pages = tutti.renderSvg(best!.score, { measureCanvas: canvas });
    expect(pages.length).toBeGreaterThan(0);
    expect(pages[0]).toMatch(/^<svg[^>]*>/);
  });
});

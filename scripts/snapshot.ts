/**
 * A fingerprint of everything Tutti makes from the corpus, to prove that a refactoring changes
 * no output (`npm run snapshot`).
 *
 * For every MusicXML, .mxl and MIDI file of the corpus (`../shared/corpus` when present, else
 * `fixtures/corpus`) and `scores/`: the score read (or its error message). For every sketch
 * (chorales and quartet movements reduced to piano, the piano pieces, the edge files, `scores/`)
 * and five ensembles: the analysis, the MusicXML, MIDI and report of the arrangement (plain and
 * rich style, two alternatives); with `--svg`, the SVG pages of the piano pieces, the edge files
 * and `scores/` for all five ensembles and the rest for string-quartet.
 *
 *   npx tsx scripts/snapshot.ts --out before.json [--svg] [--shard K/N] [--only read,analyse,arrange,svg]
 *   npx tsx scripts/snapshot.ts --compare before.json after.json
 *
 * `--shard K/N` takes every N-th item from the K-th (1-based), so that two processes share the
 * work; `--only` makes only the kinds named (a comparison then looks at those alone, see
 * `--compare … --only svg`); `--compare` reads any number of shard files on each side (`a1.json,a2.json`).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyse, analysisJson, voicesScore } from "../src/analyse/index.js";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { ensemble } from "../src/instruments/index.js";
import type { Score } from "../src/model/score.js";
import { loadDatabase } from "../src/node/instruments.js";
import { renderScoreSvg } from "../src/node/render.js";
import { arrangeAnalysed, checkScore, summarise } from "../src/orchestrate/index.js";
import { readScore } from "../src/read/index.js";
import { writeMidi } from "../src/write/midi.js";
import { writeMusicXml } from "../src/write/musicxml.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** The kind of an item, from the first word of its name: read, analyse, svg, or arrange for the rest. */
const kindOf = (item: string): string => {
  const first = item.slice(0, item.indexOf(" "));
  return first === "read" || first === "analyse" || first === "svg" ? first : "arrange";
};

if (option("--compare") !== undefined) {
  const i = args.indexOf("--compare");
  const load = (list: string): Record<string, string> => Object.assign({}, ...list.split(",").map((f) => JSON.parse(readFileSync(f, "utf8")) as Record<string, string>));
  const kinds = option("--only")?.split(",");
  const pick = (r: Record<string, string>): Record<string, string> =>
    kinds ? Object.fromEntries(Object.entries(r).filter(([k]) => kinds.includes(kindOf(k)))) : r;
  const a = pick(load(args[i + 1]!));
  const b = pick(load(args[i + 2]!));
  // What the second side made is compared; items it did not make (a shard, --only) are counted apart.
  const keys = Object.keys(b).sort();
  const differ = keys.filter((k) => a[k] !== b[k]);
  for (const k of differ.slice(0, 40)) console.log(`${a[k] === undefined ? "new    " : "differs"} ${k}`);
  const notMade = Object.keys(a).filter((k) => !(k in b)).length;
  console.log(`${keys.length} items compared, ${differ.length} differ${notMade ? `; ${notMade} items of the first side not made on the second` : ""}`);
  process.exit(differ.length ? 1 : 0);
}

const SHARED = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const LOCAL = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const SCORES = fileURLToPath(new URL("../scores/", import.meta.url));
const root = existsSync(SHARED) ? SHARED : LOCAL;
const only = new Set((option("--only") ?? "read,analyse,arrange,svg").split(","));
const svg = args.includes("--svg") && only.has("svg");
const [shard, shards] = (option("--shard") ?? "1/1").split("/").map(Number) as [number, number];
const out = option("--out") ?? "snapshot.json";
const db = await loadDatabase();
const ENSEMBLES = ["string-quartet", "satb-choir", "woodwind-quintet", "brass-quintet", "symphony-orchestra"];

function files(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f), pattern) : pattern.test(f) ? [join(dir, f)] : []));
}

const hash = (text: string | Uint8Array): string => createHash("sha256").update(text).digest("hex").slice(0, 20);
const name = (path: string): string => path.replace(root, "corpus/").replace(SCORES, "scores/");
const result: Record<string, string> = {};
let item = 0;
const mine = (): boolean => item++ % shards === shard - 1;

function read(path: string): Score | string {
  try {
    return readScore(new Uint8Array(readFileSync(path)), path.split("/").pop()!);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const t0 = Date.now();
const inputs = [...files(root, /\.(musicxml|xml|mxl|midi?)$/i), ...files(SCORES, /\.(musicxml|xml|mxl|midi?)$/i)];
for (const path of inputs) {
  if (!mine() || !only.has("read")) continue;
  const s = read(path);
  result[`read ${name(path)}`] = hash(typeof s === "string" ? s : JSON.stringify(s));
}

const sketches: { name: string; score: Score; everyEnsembleSvg: boolean }[] = [];
for (const path of inputs) {
  if (/\.midi?$/i.test(path)) continue;
  const set = name(path).split("/")[1];
  const s = read(path);
  if (typeof s === "string") continue;
  const reduce = set === "chorales" || set === "quartets";
  sketches.push({ name: name(path), score: reduce ? reduceToPiano(s).sketch : s, everyEnsembleSvg: !reduce });
}

for (const s of sketches) {
  const analysis = analyse(s.score);
  if (mine() && only.has("analyse")) result[`analyse ${s.name}`] = hash(JSON.stringify(analysis) + JSON.stringify(analysisJson(s.score, analysis)) + writeMusicXml(voicesScore(s.score, analysis)));
  for (const ens of ENSEMBLES) {
    if (!mine() || !(only.has("arrange") || svg)) continue;
    const key = `${s.name} → ${ens}`;
    try {
      for (const style of ["plain", "rich"] as const) {
        const arrangements = arrangeAnalysed(s.score, analysis, ensemble(db, ens), db, { style, alternatives: 2 });
        arrangements.forEach((a, i) => {
          const k = `${key} ${style} #${i + 1}`;
          if (only.has("arrange")) {
            result[`musicxml ${k}`] = hash(writeMusicXml(a.score));
            result[`midi ${k}`] = hash(writeMidi(a.score));
            result[`report ${k}`] = hash(JSON.stringify(a.report) + summarise(a.report));
            result[`check ${k}`] = hash(JSON.stringify(checkScore(a.score, db)));
          }
          if (svg && i === 0 && style === "rich" && (s.everyEnsembleSvg || ens === "string-quartet")) {
            renderScoreSvg(a.score).forEach((page, p) => (result[`svg ${k} p${p + 1}`] = hash(page)));
          }
        });
      }
    } catch (e) {
      result[`error ${key}`] = hash((e as Error).message);
    }
  }
}
writeFileSync(out, JSON.stringify(result, null, 1));
console.log(`${Object.keys(result).length} items in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${out}`);

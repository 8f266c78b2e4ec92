/**
 * `tutti arrange <input...> --ensemble <id | file.json | a,b,c>`: the composer's command, and the
 * batch runner when given several files or a folder (one bad file never stops the others).
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { TuttiError } from "../model/errors.js";
import type { Score } from "../model/score.js";
import { loadDatabase, loadEnsembleSpec } from "../node/instruments.js";
import { readScoreFile, stemOf, writeFilesAtomically } from "../node/files.js";
import { pageFileNames, renderScoreSvg } from "../node/render.js";
import { arrange, summarise } from "../orchestrate/index.js";
import type { Style } from "../orchestrate/arrange.js";
import { writeScore } from "../write/index.js";

const FORMATS = ["musicxml", "mxl", "midi", "svg"] as const;
type Format = (typeof FORMATS)[number];
const INPUT = /\.(musicxml|xml|mxl|mid|midi)$/i;

interface Options {
  ensemble: string;
  out: string;
  format: string;
  style: string;
  alternatives: string;
  report?: boolean;
  quiet?: boolean;
}

export function registerArrange(program: Command): void {
  program
    .command("arrange")
    .description("arrange sketches (MusicXML, .mxl, MIDI; files or folders) for an ensemble")
    .argument("<inputs...>", "sketch files, or folders of them")
    .requiredOption("-e, --ensemble <spec>", "an ensemble id (see `tutti ensembles`), a .json ensemble file, or instruments separated by commas")
    .option("-o, --out <dir>", "where to write the results", "out")
    .option("-f, --format <list>", `output formats, comma separated: ${FORMATS.join(", ")}`, "musicxml")
    .option("-s, --style <style>", "plain (one part per line) or rich (doublings by dynamic)", "rich")
    .option("-a, --alternatives <n>", "also write the next best arrangements, ranked by cost", "1")
    .option("-r, --report", "write <stem>.report.json and print a summary of who plays what and why")
    .option("-q, --quiet", "print only errors")
    .action(async (inputs: string[], opts: Options) => {
      const formats = parseFormats(opts.format);
      const style = opts.style;
      if (style !== "plain" && style !== "rich") throw new TuttiError("BAD_OPTION", `--style must be plain or rich, not "${style}"`);
      const alternatives = Number(opts.alternatives);
      if (!Number.isInteger(alternatives) || alternatives < 1 || alternatives > 10) throw new TuttiError("BAD_OPTION", "--alternatives must be a whole number from 1 to 10");
      const db = await loadDatabase();
      const ensemble = await loadEnsembleSpec(db, opts.ensemble);
      const files = await expandInputs(inputs);
      let failed = 0;
      for (const file of files) {
        try {
          const sketch = await readScoreFile(file);
          const written = await arrangeOne(file, sketch, { db, ensemble, formats, style, alternatives, out: opts.out, report: !!opts.report, quiet: !!opts.quiet });
          if (!opts.quiet) console.log(`${file} → ${written.join(", ")}`);
        } catch (err) {
          failed++;
          // In a batch each failure is one line and the others go on; alone, the error ends the command.
          if (files.length === 1) throw err;
          console.error(`tutti: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (files.length > 1) {
        if (!opts.quiet || failed) console.log(`${files.length - failed} of ${files.length} arranged${failed ? `, ${failed} failed` : ""}`);
        if (failed) process.exitCode = 1;
      }
    });
}

function parseFormats(list: string): Format[] {
  const out: Format[] = [];
  for (const f of list.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const name = f === "xml" ? "musicxml" : f === "mid" ? "midi" : f;
    if (!(FORMATS as readonly string[]).includes(name)) throw new TuttiError("BAD_OPTION", `unknown format "${f}"; use ${FORMATS.join(", ")}`);
    if (!out.includes(name as Format)) out.push(name as Format);
  }
  if (out.length === 0) throw new TuttiError("BAD_OPTION", "--format needs at least one format");
  return out;
}

/** Files as given; folders become their score files (not recursive), sorted. */
async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const s = await stat(input).catch(() => undefined);
    if (s?.isDirectory()) {
      const names = (await readdir(input)).filter((n) => INPUT.test(n)).sort();
      if (names.length === 0) throw new TuttiError("FILE_NOT_FOUND", "the folder holds no MusicXML, .mxl or MIDI files", input);
      out.push(...names.map((n) => join(input, n)));
    } else out.push(input);
  }
  return out;
}

interface Job {
  db: Awaited<ReturnType<typeof loadDatabase>>;
  ensemble: Awaited<ReturnType<typeof loadEnsembleSpec>>;
  formats: readonly Format[];
  style: Style;
  alternatives: number;
  out: string;
  report: boolean;
  quiet: boolean;
}

async function arrangeOne(file: string, sketch: Score, job: Job): Promise<string[]> {
  const stem = stemOf(file);
  const titled: Score = sketch.meta.title || sketch.meta.movementTitle ? sketch : { ...sketch, meta: { ...sketch.meta, title: stem } };
  const results = arrange(titled, job.ensemble, job.db, { style: job.style, alternatives: job.alternatives });
  const files: { path: string; data: Uint8Array }[] = [];
  const enc = new TextEncoder();
  results.forEach((r, i) => {
    const name = i === 0 ? stem : `${stem}.alt${i + 1}`;
    for (const f of job.formats) {
      if (f === "svg") {
        const pages = renderScoreSvg(r.score);
        pageFileNames(name, pages.length).forEach((n, k) => files.push({ path: join(job.out, n), data: enc.encode(pages[k]!) }));
      } else {
        const ext = f === "midi" ? "mid" : f;
        files.push({ path: join(job.out, `${name}.${ext}`), data: writeScore(r.score, f) });
      }
    }
  });
  if (job.report) {
    files.push({ path: join(job.out, `${stem}.report.json`), data: enc.encode(JSON.stringify(results.map((r) => r.report), null, 2) + "\n") });
  }
  await writeFilesAtomically(files, [file]);
  if (job.report && !job.quiet) for (const r of results) console.log(summarise(r.report));
  return files.map((f) => f.path);
}

/**
 * `tutti arrange <inputs...> --ensemble <spec>`: the composer's command, and the batch runner for
 * files, folders (walked recursively, layout kept under `--out`) and glob patterns. Every file
 * stands alone: one that fails is named with its reason and the others go on.
 */
import type { Command } from "commander";
import { TuttiError } from "../model/errors.js";
import type { Style } from "../orchestrate/index.js";
import { type ArrangeSettings, type Format, FORMATS } from "./arrange-settings.js";
import { databaseFor, ownFolders } from "./database.js";
import { clock, createProgress, progressMode } from "./progress.js";

interface Options {
  ensemble: string;
  out: string;
  format: string;
  style: string;
  alternatives: string;
  jobs?: string;
  report?: boolean;
  quiet?: boolean;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  $ tutti arrange sketch.mid -e string-quartet
  $ tutti arrange sketch.musicxml -e symphony-orchestra -f musicxml,svg,midi --report
  $ tutti arrange sketch.mxl -e flute,clarinet-bb,bassoon -o parts
  $ tutti arrange chorales/ -e satb-choir -o arranged --jobs 2
  $ tutti arrange "scores/**/*.mid" -e brass-quintet --json > summary.json
  $ tutti arrange sketch.mid -e my-band --instruments ~/my-instruments   (your own ensembles and instruments)

Outputs: <out>/<stem>.<ext> for each format (SVG: <stem>.svg, or <stem>-1.svg, <stem>-2.svg… for
several pages), <stem>.alt2.<ext>… for --alternatives, <stem>.report.json for --report. A folder
or pattern keeps its sub-folders under <out>.

Existing outputs of the same name are replaced. Each file's outputs are written to temporary
files first and renamed into place only when all are made, so a file that fails leaves nothing
behind and an interrupted run leaves no half-written file. An input is never overwritten.

Exit code: 0 when every file was arranged, 1 when any failed, 2 for a usage error.`;

export function registerArrange(program: Command): void {
  program
    .command("arrange")
    .description("arrange sketches (MusicXML, .mxl, MIDI) for an ensemble: files, folders or glob patterns")
    .argument("<inputs...>", "sketch files, folders of them (searched recursively), or quoted glob patterns")
    .requiredOption("-e, --ensemble <spec>", "an ensemble id (see `tutti ensembles`), a .json ensemble file, or instrument ids separated by commas")
    .option("-o, --out <dir>", "where to write the results", "out")
    .option("-f, --format <list>", `output formats, comma separated: ${FORMATS.join(", ")}`, "musicxml")
    .option("-s, --style <style>", "plain (one part per line) or rich (doublings by dynamic)", "rich")
    .option("-a, --alternatives <n>", "also write the next best arrangements, ranked by cost", "1")
    .option("-j, --jobs <n>", "files arranged at once, in worker threads (default: one less than the number of cores, at least 1)")
    .option("-r, --report", "write <stem>.report.json and print a summary of who plays what and why")
    .option("-q, --quiet", "print only errors")
    .option("--json", "print a JSON summary of the batch on stdout (per file: outputs, or the error)")
    .addHelpText("after", EXAMPLES)
    .action(async (inputs: string[], opts: Options, command: Command) => {
      const started = performance.now();
      const formats = parseFormats(opts.format);
      const style = parseStyle(opts.style);
      const alternatives = wholeNumber(opts.alternatives, "--alternatives", 1, 10);
      const { defaultJobs, runBatch } = await import("./batch.js");
      const jobs = opts.jobs === undefined ? defaultJobs() : wholeNumber(opts.jobs, "--jobs", 1, 64);
      const { loadEnsembleSpec } = await import("../node/instruments.js");
      const { expandInputs } = await import("../node/inputs.js");
      const db = await databaseFor(command);
      const ensemble = await loadEnsembleSpec(db, opts.ensemble);
      const settings: ArrangeSettings = { ensemble, formats, style, alternatives, report: !!opts.report, out: opts.out, ownInstruments: ownFolders(command) };

      // An output folder that cannot be written fails the command once, not every file in turn.
      const { checkOutputFolder } = await import("../node/files.js");
      await checkOutputFolder(opts.out);
      const { files, missing } = await expandInputs(inputs, opts.out);
      // A lone file that cannot be found or read ends the command with its one-line error.
      if (files.length === 0 && missing.length === 1 && inputs.length === 1 && !opts.json) {
        throw new TuttiError("FILE_NOT_FOUND", missing[0]!.problem, missing[0]!.path);
      }
      const single = inputs.length === 1 && files.length === 1 && missing.length === 0;
      const progress = createProgress(single && !opts.json ? (opts.quiet ? "quiet" : "lines") : progressMode(opts), files.length);
      for (const m of missing) progress.failed(m.path, m.problem);

      // Two inputs whose outputs would have the same names (a.mid and a.musicxml in one folder):
      // the first keeps them, the others fail rather than overwrite what this run wrote.
      const owner = new Map<string, string>();
      const clashes: { path: string; problem: string }[] = [];
      const runnable = files.filter((f) => {
        const key = f.outputStem.toLowerCase();
        const first = owner.get(key);
        if (first === undefined) {
          owner.set(key, f.path);
          return true;
        }
        clashes.push({ path: f.path, problem: `its outputs would have the same names as those of ${first}; arrange it on its own or rename it` });
        return false;
      });
      for (const c of clashes) progress.failed(c.path, c.problem);

      const debug = command.optsWithGlobals().debug === true;
      // The jobs the batch runs: no more than there are files.
      const used = single ? 1 : Math.min(jobs, runnable.length);
      const outcomes = await runBatch(runnable, settings, db, used, {
        started: (path) => progress.started(path),
        finished: (o, summaries) => (o.ok ? progress.arranged(o.input, o.outputs, summaries) : progress.failed(o.input, o.error)),
      }, debug);
      progress.finish();

      // Files refused before the batch ran: missing inputs, then clashing outputs.
      const refused = [
        ...missing.map((m) => ({ input: m.path, ok: false as const, code: "FILE_NOT_FOUND", error: m.problem })),
        ...clashes.map((c) => ({ input: c.path, ok: false as const, code: "BAD_OPTION", error: c.problem })),
      ];
      const failures = [...refused, ...outcomes.filter((o) => !o.ok)];
      const arranged = outcomes.filter((o) => o.ok);
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) {
        console.log(JSON.stringify({ arranged: arranged.length, failed: failures.length, seconds: Number(seconds.toFixed(2)), jobs: used, files: [...outcomes, ...refused] }, null, 2));
      } else if (!single && !opts.quiet) {
        const total = arranged.length + failures.length;
        console.log(`${arranged.length} of ${total} arranged${failures.length ? `, ${failures.length} failed` : ""} in ${seconds < 60 ? `${seconds.toFixed(1)} s` : clock(seconds)} (${Math.max(1, used)} job${used > 1 ? "s" : ""})`);
        for (const f of failures) console.log(`  failed: ${f.input}: ${f.error}`);
      }
      if (failures.length > 0) process.exitCode = 1;
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

function parseStyle(style: string): Style {
  if (style !== "plain" && style !== "rich") throw new TuttiError("BAD_OPTION", `--style must be plain or rich, not "${style}"`);
  return style;
}

function wholeNumber(text: string, option: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new TuttiError("BAD_OPTION", `${option} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}


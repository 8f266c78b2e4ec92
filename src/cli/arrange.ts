/**
 * `tutti arrange <inputs...> --ensemble <spec>`: the composer's command, and the batch runner for
 * files, folders (walked recursively, layout kept under `--out`) and glob patterns. Every file
 * stands alone: one that fails is named with its reason and the others go on.
 */
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { TuttiError } from "../model/errors.js";
import type { BatchInput } from "../node/inputs.js";
import { removeStaleTemps } from "../node/temps.js";
import type { Style } from "../orchestrate/index.js";
import { type ArrangeSettings, type Format, FORMATS } from "./arrange-settings.js";
import { databaseFor, ownFolders } from "./database.js";
import { clock, createProgress, progressMode } from "./progress.js";
import { parseShard, shardOf } from "./shard.js";
import { version } from "./version.js";

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
  resume?: boolean;
  shard?: string;
  chordSymbols: boolean;
}

const EXAMPLES = `
Examples:
  $ tutti arrange sketch.mid -e string-quartet
  $ tutti arrange sketch.musicxml -e symphony-orchestra -f musicxml,svg,midi --report
  $ tutti arrange sketch.mxl -e flute,clarinet-bb,bassoon -o parts
  $ tutti arrange chorales/ -e satb-choir -o arranged --jobs 2
  $ tutti arrange "scores/**/*.mid" -e brass-quintet --json > summary.json
  $ tutti arrange sketch.mid -e my-band --instruments ~/my-instruments   (your own ensembles and instruments)
  $ tutti arrange archive/ -e string-quartet -o out --resume         (again after an interruption: skips what is done)
  $ tutti arrange archive/ -e string-quartet -o out-0 --shard 0/3 --json > shard-0.json   (machine 0 of 3)

Outputs: <out>/<stem>.<ext> for each format (SVG: <stem>.svg, or <stem>-1.svg, <stem>-2.svg… for
several pages), <stem>.alt2.<ext>… for --alternatives, <stem>.report.json for --report. A folder
or pattern keeps its sub-folders under <out>.

Existing outputs of the same name are replaced. Each file's outputs are written to temporary
files as they are made (an SVG page as soon as it is engraved) and renamed into place only when
all are made, so a file that fails leaves nothing behind and an interrupted run leaves no
half-written file. An input is never overwritten.

Temporary files of earlier runs that were killed (<name>.tutti-<pid>.tmp, whose process is gone)
are removed from the output folders at the start.

--resume skips a file whose outputs an earlier run with --resume made: all still there, unchanged,
newer than the file, from the file's present bytes, with the same ensemble, formats, style,
alternatives, report, chord symbols and instruments and the same version of Tutti. Its record is
<out>/.tutti/<stem>.json, written with the outputs. Start a long batch with --resume too: a run
without it keeps no record, so nothing of it can be skipped.

--shard K/N arranges only the files of shard K of N, K counted from 0 (0/N … N-1/N, as
Kubernetes' JOB_COMPLETION_INDEX): N machines given the same inputs, each its own K, arrange
every file once between them. A file's shard follows from its path below the folder or pattern
that found it (its name, for a file named itself), so it is the same wherever the files are
mounted. With --json the summary names the shard; the shards' "files" lists together are the
batch's.

Exit code: 0 when every file was arranged (or skipped), 1 when any failed, 2 for a usage error.`;

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
    .option("--no-chord-symbols", "leave a lead sheet's chord symbols unplayed (by default they become a bass and inner voices under its tune)")
    .option("-q, --quiet", "print only errors")
    .option("--json", "print a JSON summary of the batch on stdout (per file: outputs, or the error)")
    .option("--resume", "skip files an earlier --resume run arranged with the same options and version, their outputs up to date")
    .option("--shard <K/N>", "arrange only shard K of N of the files, K counted from 0 (0/N … N-1/N)")
    .addHelpText("after", EXAMPLES)
    .action(async (inputs: string[], opts: Options, command: Command) => {
      const started = performance.now();
      const formats = parseFormats(opts.format);
      const style = parseStyle(opts.style);
      const alternatives = wholeNumber(opts.alternatives, "--alternatives", 1, 10);
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      const { defaultJobs, runBatch } = await import("./batch.js");
      const jobs = opts.jobs === undefined ? defaultJobs() : wholeNumber(opts.jobs, "--jobs", 1, 64);
      const { loadEnsembleSpec } = await import("../node/instruments.js");
      const { expandInputs } = await import("../node/inputs.js");
      const db = await databaseFor(command);
      const ensemble = await loadEnsembleSpec(db, opts.ensemble);
      const settings: ArrangeSettings = { ensemble, formats, style, alternatives, report: !!opts.report, chordSymbols: opts.chordSymbols, out: opts.out, ownInstruments: ownFolders(command) };

      // An output folder that cannot be written fails the command once, not every file in turn.
      const { checkOutputFolder } = await import("../node/files.js");
      await checkOutputFolder(opts.out);
      const { files, missing } = await expandInputs(inputs, opts.out);
      // A lone file that cannot be found or read ends the command with its one-line error.
      if (files.length === 0 && missing.length === 1 && inputs.length === 1 && !opts.json) {
        throw new TuttiError("FILE_NOT_FOUND", missing[0]!.problem, missing[0]!.path);
      }
      // Clashes are found over the whole batch, so that every shard agrees which file owns a name.
      // Inputs that name no file are reported by every shard: a machine may lack what others have.
      const mine = (f: BatchInput): boolean => shard === undefined || shardOf(f.shardKey, shard.count) === shard.index;
      const owned = ownOutputs(files);
      const [runnable, clashes] = [owned.runnable.filter(mine), owned.clashes.filter((c) => mine(c.file))];

      const { manifestPath, createResume, splitFinished } = await import("./resume.js");
      const resume = opts.resume ? createResume(settings, db, version()) : undefined;
      const folders = runnable.flatMap((f) => [join(opts.out, f.outputStem), ...(resume ? [manifestPath(opts.out, f)] : [])]).map((p) => dirname(p));
      await removeStaleTemps(folders);
      const { skipped, todo } = resume ? await splitFinished(resume, runnable) : { skipped: [], todo: runnable };

      const single = !shard && inputs.length === 1 && files.length === 1 && missing.length === 0;
      const progress = createProgress(single && !opts.json ? (opts.quiet ? "quiet" : "lines") : progressMode(opts), todo.length + clashes.length);
      for (const m of missing) progress.failed(m.path, m.problem);
      for (const c of clashes) progress.failed(c.file.path, c.problem);
      for (const s of skipped) progress.skipped(s.input, s.outputs);

      const debug = command.optsWithGlobals().debug === true;
      // The jobs the batch runs: no more than there are files.
      const used = single ? 1 : Math.min(jobs, todo.length);
      const outcomes = await runBatch(todo, settings, db, used, {
        started: (path) => progress.started(path),
        finished: (o, summaries) => (o.ok ? progress.arranged(o.input, o.outputs, summaries) : progress.failed(o.input, o.error)),
      }, { debug, ...(resume ? { manifest: resume.manifest } : {}) });
      progress.finish();

      // Files refused before the batch ran: missing inputs, then clashing outputs.
      const refused = [
        ...missing.map((m) => ({ input: m.path, ok: false as const, code: "FILE_NOT_FOUND", error: m.problem })),
        ...clashes.map((c) => ({ input: c.file.path, ok: false as const, code: "BAD_OPTION", error: c.problem })),
      ];
      // Skipped and arranged files in the order of the batch.
      const done = new Map([...skipped, ...outcomes].map((o) => [o.input, o]));
      const ordered = runnable.map((f) => done.get(f.path)!);
      const failures = [...refused, ...outcomes.filter((o) => !o.ok)];
      const arranged = outcomes.filter((o) => o.ok);
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) {
        const sharding = shard ? { shard: { ...shard, files: runnable.length + clashes.length, of: files.length }, inputs } : {};
        const counts = { arranged: arranged.length, ...(resume ? { skipped: skipped.length } : {}), failed: failures.length };
        console.log(JSON.stringify({ ...sharding, ...counts, seconds: Number(seconds.toFixed(2)), jobs: used, files: [...ordered, ...refused] }, null, 2));
      } else if (!single && !opts.quiet) {
        const total = arranged.length + skipped.length + failures.length;
        const took = seconds < 60 ? `${seconds.toFixed(1)} s` : clock(seconds);
        console.log(`${shard ? `shard ${shard.index}/${shard.count}: ` : ""}${arranged.length} of ${total} arranged${skipped.length ? `, ${skipped.length} skipped (up to date)` : ""}${failures.length ? `, ${failures.length} failed` : ""} in ${took} (${Math.max(1, used)} job${used > 1 ? "s" : ""})`);
        for (const f of failures) console.log(`  failed: ${f.input}: ${f.error}`);
      }
      if (failures.length > 0) process.exitCode = 1;
    });
}

/**
 * Two inputs whose outputs would have the same names (a.mid and a.musicxml in one folder): the
 * first keeps them, the others fail rather than overwrite what this run wrote.
 */
function ownOutputs(files: readonly BatchInput[]): { runnable: BatchInput[]; clashes: { file: BatchInput; problem: string }[] } {
  const owner = new Map<string, string>();
  const clashes: { file: BatchInput; problem: string }[] = [];
  const runnable = files.filter((f) => {
    const key = f.outputStem.toLowerCase();
    const first = owner.get(key);
    if (first === undefined) {
      owner.set(key, f.path);
      return true;
    }
    clashes.push({ file: f, problem: `its outputs would have the same names as those of ${first}; arrange it on its own or rename it` });
    return false;
  });
  return { runnable, clashes };
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


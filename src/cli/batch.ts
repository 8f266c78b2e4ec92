/**
 * The batch runner of `tutti arrange`: files arranged in this thread and, for `--jobs N`, in N-1
 * worker threads beside it; outputs written here as they are made, per file all or none. A file
 * that fails is reported and the others go on; a worker that dies (out of memory, say) fails its
 * file and is replaced.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Database } from "../instruments/index.js";
import { AtomicFiles } from "../node/files.js";
import type { BatchInput } from "../node/inputs.js";
import type { ArrangeSettings, OutputFile, WorkerMessage, WorkerTask } from "./arrange-settings.js";

export type Outcome =
  | { readonly input: string; readonly ok: true; readonly outputs: readonly string[]; readonly notes: number; readonly seconds: number }
  | Skipped
  | { readonly input: string; readonly ok: false; readonly code: string; readonly error: string };

/** A file `--resume` left alone: its outputs are those of an earlier run, up to date. */
export interface Skipped {
  readonly input: string;
  readonly ok: true;
  readonly skipped: true;
  readonly outputs: readonly string[];
}

export interface BatchOptions {
  /** Print the stack of each error. */
  readonly debug?: boolean;
  /**
   * A file to write with each file's outputs, renamed into place after them (`--resume`'s
   * manifest), so that it exists only once they all do.
   */
  readonly manifest?: (file: BatchInput) => OutputRecord;
}

/** A record of one file's outputs, told each as it is written, and made into a file of its own after them. */
export interface OutputRecord {
  add(output: OutputFile): void;
  file(): Promise<OutputFile>;
}

export interface BatchEvents {
  started(path: string): void;
  finished(outcome: Outcome, summaries: readonly string[]): void;
}

/**
 * The default `--jobs`: one per core but one, and at least one. A job keeps more than one core
 * busy: V8 compiles the pipeline's hot code and collects its garbage on threads of its own, and
 * each new thread compiles everything again. On two cores one job already keeps 1.7 of them busy
 * (the 24-chorale batch of `scripts/batch-demo.ts`: 3.5 s pinned to one core, 2.3 s on two), and
 * a second job made every batch measured slower (24 chorales, 80 chorales, 8 quartet movements,
 * with and without SVG pages: 0.8–0.96×).
 */
export const defaultJobs = (): number => Math.max(1, availableParallelism() - 1);

/**
 * Arranges every input; resolves when all are done, with one outcome per input in input order.
 * None of the batch's input files may be overwritten. `db` serves this thread (the command has
 * loaded it already); each worker loads its own.
 */
export async function runBatch(files: readonly BatchInput[], settings: ArrangeSettings, db: Database, jobs: number, events: BatchEvents, options: BatchOptions = {}): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(files.length);
  const protectedPaths = files.map((f) => f.path);
  /** Where a file's outputs go as they are made: temporary files, renamed into place with its record (if kept) after them. */
  const outputsOf = (k: number): Outputs => {
    const written = new AtomicFiles(protectedPaths);
    const record = options.manifest?.(files[k]!);
    const paths: string[] = [];
    return {
      write(file) {
        paths.push(file.path);
        record?.add(file);
        return written.add(file.path, file.data);
      },
      async commit() {
        if (record) {
          const manifest = await record.file();
          await written.add(manifest.path, manifest.data);
        }
        await written.commit();
        return paths;
      },
      abort: () => written.abort(),
    };
  };
  const finish = async (k: number, began: number, outputs: Outputs, result: { summaries: readonly string[]; notes: number } | Error): Promise<void> => {
    const input = files[k]!.path;
    let outcome: Outcome;
    let summaries: readonly string[] = [];
    try {
      if (result instanceof Error) throw result;
      outcome = { input, ok: true, outputs: await outputs.commit(), notes: result.notes, seconds: (performance.now() - began) / 1000 };
      summaries = result.summaries;
    } catch (err) {
      await outputs.abort();
      outcome = failure(input, err, options.debug === true);
    }
    outcomes[k] = outcome;
    events.finished(outcome, summaries);
  };

  // Files are taken in order; a file a dead worker held goes back to the front of the queue.
  let next = 0;
  const retry: number[] = [];
  const take = (): number | undefined => retry.shift() ?? (next < files.length ? next++ : undefined);
  const writing: Promise<void>[] = [];

  // The workers start first: loading the pipeline takes a third of a second in each thread,
  // and they do it while this thread does the same.
  const workers = Array.from({ length: Math.max(0, Math.min(jobs, files.length) - 1) }, () => runWorker());

  // This thread is one of the jobs: it arranges files between writing the workers' outputs.
  const { arrangeFile } = await import("./arrange-job.js");
  const runHere = async (): Promise<void> => {
    for (let k = take(); k !== undefined; k = take()) {
      const began = performance.now();
      events.started(files[k]!.path);
      const outputs = outputsOf(k);
      // Each output is written before the next is made (an SVG page before the next is engraved).
      const result = await arrangeFile(files[k]!.path, files[k]!.outputStem, settings, db, (file) => outputs.write(file)).catch((err: unknown) => asError(err));
      await finish(k, began, outputs, result);
    }
  };
  await runHere();
  await Promise.all(workers);
  await runHere(); // files a dead worker gave back after the others had finished
  await Promise.all(writing);
  return outcomes;

  /** One worker thread, kept two files ahead so it never waits for this thread to hand it work. */
  function runWorker(): Promise<void> {
    return new Promise((resolve) => {
      let worker = startWorker(settings);
      const inFlight = new Map<number, { began: number; outputs: Outputs }>(); // by file index
      const dispatch = (): void => {
        for (let k = inFlight.size < 2 ? take() : undefined; k !== undefined; k = inFlight.size < 2 ? take() : undefined) {
          inFlight.set(k, { began: performance.now(), outputs: outputsOf(k) });
          events.started(files[k]!.path);
          worker.postMessage({ id: k, path: files[k]!.path, outputStem: files[k]!.outputStem } satisfies WorkerTask);
        }
        if (inFlight.size === 0) void worker.terminate().then(() => resolve());
      };
      const onMessage = (m: WorkerMessage): void => {
        const job = inFlight.get(m.id);
        if (!job) return;
        if (m.kind === "output") {
          // Written in the order posted; a failure is reported when the file is finished.
          job.outputs.write(m.file);
          return;
        }
        inFlight.delete(m.id);
        const result = m.kind === "arranged" ? { summaries: m.summaries, notes: m.notes } : Object.assign(new Error(m.message), { code: m.code }, m.stack ? { stack: m.stack } : {});
        writing.push(finish(m.id, job.began, job.outputs, result));
        dispatch();
      };
      // A worker that dies (out of memory, say) fails the file it was on; the one queued behind
      // it goes back to the queue (what it had written is removed), and a new worker takes over.
      const onDeath = (reason: string): void => {
        const [first, ...queued] = [...inFlight.keys()].sort((x, y) => x - y);
        for (const k of queued) writing.push(inFlight.get(k)!.outputs.abort());
        if (first !== undefined) writing.push(finish(first, performance.now(), inFlight.get(first)!.outputs, new WorkerDied(reason)));
        inFlight.clear();
        retry.unshift(...queued);
        void worker.terminate();
        worker = listen(startWorker(settings));
        dispatch();
      };
      // Events of a worker already replaced are ignored.
      const listen = (w: Worker): Worker =>
        w
          .on("message", (m: WorkerMessage) => w === worker && onMessage(m))
          .on("error", (err: Error) => w === worker && onDeath(/heap|memory/i.test(err.message) ? "ran out of memory" : `the worker failed: ${err.message}`))
          .on("exit", (code: number) => {
            if (w === worker && inFlight.size > 0) onDeath(`the worker stopped (exit code ${code})`);
          });
      worker = listen(worker);
      dispatch();
    });
  }
}

/** One file's outputs on their way: each written as it is made, all renamed into place together. */
interface Outputs {
  /** Writes an output to its temporary file; resolves once it is written or has failed (`commit` reports it). */
  write(file: OutputFile): Promise<void>;
  /** Renames the outputs into place (the record, if kept, after them); returns their paths. */
  commit(): Promise<string[]>;
  /** Removes what was written. */
  abort(): Promise<void>;
}

class WorkerDied extends Error {
  readonly code = "WORKER_DIED";
}

/**
 * Workers run the compiled `.js` beside this module; from the `.ts` sources (tests, tsx) a small
 * bootstrap registers tsx in the worker first, since Node 20 does not pass `--import` hooks on.
 */
function startWorker(settings: ArrangeSettings): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./arrange-worker.js", import.meta.url), { workerData: { settings } });
  const tsx = new URL("dist/esm/api/index.mjs", pathToFileURL(createRequire(import.meta.url).resolve("tsx/package.json"))).href;
  const entry = new URL("./arrange-worker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: { settings } });
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function failure(input: string, err: unknown, debug: boolean): Outcome {
  const e = asError(err);
  if (debug && e.stack) console.error(e.stack);
  let message = e.message.replace(/\s*\n\s*/g, " ");
  // Messages name their file ("a.mid: …"); the outcome keeps only the problem.
  if (message.startsWith(`${input}: `)) message = message.slice(input.length + 2);
  const given = (e as { code?: unknown }).code;
  const code = typeof given === "string" ? given : "INTERNAL";
  // An exception that is not one of ours is a bug in Tutti, not in the file: say so.
  if (code === "INTERNAL") message = `internal error (please report it, with the file): ${message}`;
  return { input, ok: false, code, error: message };
}

/**
 * The batch runner of `tutti arrange`: files arranged in this thread (`--jobs 1`) or in worker
 * threads, outputs written here, per file all or none. A file that fails is reported and the
 * others go on; a worker that dies (out of memory, say) fails its file and is replaced.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { loadDatabase } from "../node/instruments.js";
import { writeFilesAtomically } from "../node/files.js";
import type { BatchInput } from "../node/inputs.js";
import { arrangeFile, type ArrangeSettings, type OutputFile } from "./arrange-job.js";
import type { WorkerResult, WorkerTask } from "./arrange-worker.js";

export type Outcome =
  | { readonly input: string; readonly ok: true; readonly outputs: readonly string[]; readonly notes: number; readonly seconds: number }
  | { readonly input: string; readonly ok: false; readonly code: string; readonly error: string };

export interface BatchEvents {
  started(path: string): void;
  finished(outcome: Outcome, summaries: readonly string[]): void;
}

/** The default `--jobs`: one per core. */
export const defaultJobs = (): number => availableParallelism();

/**
 * Arranges every input; resolves when all are done, with one outcome per input in input order.
 * `inputs` are all the batch's input files, none of which may be overwritten.
 */
export async function runBatch(files: readonly BatchInput[], settings: ArrangeSettings, jobs: number, events: BatchEvents, debug = false): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(files.length);
  const protectedPaths = files.map((f) => f.path);
  const finish = async (k: number, began: number, result: { files: readonly OutputFile[]; summaries: readonly string[]; notes: number } | Error): Promise<void> => {
    const input = files[k]!.path;
    let outcome: Outcome;
    let summaries: readonly string[] = [];
    try {
      if (result instanceof Error) throw result;
      await writeFilesAtomically(result.files, protectedPaths);
      outcome = { input, ok: true, outputs: result.files.map((f) => f.path), notes: result.notes, seconds: (performance.now() - began) / 1000 };
      summaries = result.summaries;
    } catch (err) {
      outcome = failure(input, err, debug);
    }
    outcomes[k] = outcome;
    events.finished(outcome, summaries);
  };

  if (jobs <= 1 || files.length <= 1) {
    const db = await loadDatabase();
    for (let k = 0; k < files.length; k++) {
      const began = performance.now();
      events.started(files[k]!.path);
      const result = await arrangeFile(files[k]!.path, files[k]!.outputStem, settings, db).catch((err: unknown) => asError(err));
      await finish(k, began, result);
    }
    return outcomes;
  }

  let next = 0;
  const count = Math.min(jobs, files.length);
  await Promise.all(
    Array.from({ length: count }, async () => {
      let worker = startWorker(settings);
      try {
        while (next < files.length) {
          const k = next++;
          const began = performance.now();
          events.started(files[k]!.path);
          const task: WorkerTask = { id: k, path: files[k]!.path, outputStem: files[k]!.outputStem };
          const result = await ask(worker, task);
          if (result instanceof WorkerDied) {
            await worker.terminate();
            worker = startWorker(settings);
          }
          await finish(k, began, result);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return outcomes;
}

class WorkerDied extends Error {}

function ask(worker: Worker, task: WorkerTask): Promise<{ files: readonly OutputFile[]; summaries: readonly string[]; notes: number } | Error> {
  return new Promise((resolve) => {
    const cleanup = (): void => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (r: WorkerResult): void => {
      if (r.id !== task.id) return;
      cleanup();
      if (r.ok) resolve({ files: r.files, summaries: r.summaries, notes: r.notes });
      else resolve(Object.assign(new Error(r.message), { code: r.code }, r.stack ? { stack: r.stack } : {}));
    };
    const onError = (err: Error): void => {
      cleanup();
      resolve(new WorkerDied(/heap|memory/i.test(err.message) ? "ran out of memory" : `the worker failed: ${err.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      resolve(new WorkerDied(`the worker stopped (exit code ${code})`));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(task);
  });
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

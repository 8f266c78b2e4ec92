/**
 * A worker thread of `tutti arrange --jobs N`: loads the instrument database once, then arranges
 * the files the main thread sends, one at a time, and posts back the outputs (as bytes) or the
 * error. It never writes: the main thread does, all or none per file.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadDatabase } from "../node/instruments.js";
import { arrangeFile } from "./arrange-job.js";
import type { ArrangeSettings, WorkerResult, WorkerTask } from "./arrange-settings.js";

const port = parentPort;
if (port) {
  const settings = (workerData as { settings: ArrangeSettings }).settings;
  const dbReady = loadDatabase(undefined, settings.ownInstruments);
  port.on("message", async (task: WorkerTask) => {
    let result: WorkerResult;
    try {
      const done = await arrangeFile(task.path, task.outputStem, settings, await dbReady);
      // Copied, not transferred: a few hundred kB per file is nothing beside arranging it.
      result = { id: task.id, ok: true, files: [...done.files], summaries: done.summaries, notes: done.notes };
      port.postMessage(result);
    } catch (err) {
      result = {
        id: task.id,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
        // Ours (TuttiError) or Node's (ENOENT…); anything else is a bug, named so by the main thread.
        code: typeof (err as { code?: unknown }).code === "string" ? (err as { code: string }).code : "INTERNAL",
        ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
      };
      port.postMessage(result);
    }
  });
}

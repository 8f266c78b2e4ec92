/**
 * A worker thread of `tutti arrange --jobs N`: loads the instrument database once, then arranges
 * the files the main thread sends, posting back each output (as bytes) as it is made, then the
 * end of the file or its error. It never writes: the main thread does, all or none per file.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadDatabase } from "../node/instruments.js";
import { arrangeFile } from "./arrange-job.js";
import type { ArrangeSettings, WorkerMessage, WorkerTask } from "./arrange-settings.js";

const port = parentPort;
if (port) {
  const settings = (workerData as { settings: ArrangeSettings }).settings;
  const dbReady = loadDatabase(undefined, settings.ownInstruments);
  port.on("message", async (task: WorkerTask) => {
    const post = (message: WorkerMessage): void => port.postMessage(message);
    try {
      // Each output is posted as soon as it is made, for the main thread to write at once: copied,
      // not transferred (a page of a few hundred kB is nothing beside engraving it).
      const done = await arrangeFile(task.path, task.outputStem, settings, await dbReady, async (file) => post({ id: task.id, kind: "output", file }));
      post({ id: task.id, kind: "arranged", summaries: done.summaries, notes: done.notes });
    } catch (err) {
      post({
        id: task.id,
        kind: "failed",
        message: err instanceof Error ? err.message : String(err),
        // Ours (TuttiError) or Node's (ENOENT…); anything else is a bug, named so by the main thread.
        code: typeof (err as { code?: unknown }).code === "string" ? (err as { code: string }).code : "INTERNAL",
        ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
      });
    }
  });
}

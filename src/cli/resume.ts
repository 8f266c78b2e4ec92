/**
 * `tutti arrange --resume`: a batch run again after an interruption skips the files it finished.
 * A file is finished when the manifest written with its outputs says this version of Tutti made
 * them, with the same settings, from the input's present bytes, and every output it lists is still
 * there, whole (same size and SHA-256) and newer than the input.
 *
 * One small manifest per input, `<out>/.tutti/<outputStem>.json`, written in the same all-or-none
 * write as the outputs and renamed into place after them: nothing is read, changed and written
 * back, so batches writing one folder at once cannot lose each other's records, and a run killed
 * at any point leaves either a whole manifest of outputs that landed or none. Only runs with
 * `--resume` write manifests, so that a plain run's folder holds its outputs and nothing else.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Database } from "../instruments/index.js";
import type { BatchInput } from "../node/inputs.js";
import type { ArrangeSettings } from "./arrange-settings.js";
import type { OutputRecord, Skipped } from "./batch.js";

/** The folder under `--out` that holds the manifests (hidden, so no glob or folder walk takes it). */
const MANIFESTS = ".tutti";

interface Manifest {
  /** The version of Tutti that made the outputs. */
  readonly tutti: string;
  /** SHA-256 of everything that shapes the outputs (see `settingsKey`). */
  readonly settings: string;
  /** SHA-256 of the input's bytes. */
  readonly input: string;
  /** Relative to `--out`, with forward slashes. */
  readonly outputs: readonly { readonly path: string; readonly bytes: number; readonly sha256: string }[];
}

export interface Resume {
  /** The file's outputs when they are finished and up to date, to be skipped; otherwise undefined. */
  finished(file: BatchInput): Promise<string[] | undefined>;
  /** The manifest of a file's outputs, told each as it is written, to be written after them. */
  manifest(file: BatchInput): OutputRecord;
}

/**
 * The resume records of one output folder, for one batch's settings.
 * @example await createResume(settings, db, "0.1.0").finished({ path: "in/a.mid", outputStem: "a", shardKey: "a.mid" }) // ["out/a.musicxml"] after a run with --resume
 */
export function createResume(settings: ArrangeSettings, db: Database, tutti: string): Resume {
  const key = settingsKey(settings, db);
  const pathOf = (file: BatchInput): string => manifestPath(settings.out, file);
  return {
    async finished(file) {
      const manifest = await readManifest(pathOf(file));
      if (manifest?.tutti !== tutti || manifest.settings !== key) return undefined;
      const input = await stat(file.path).catch(() => undefined);
      if (!input || (await sha256Of(file.path)) !== manifest.input) return undefined;
      const outputs: string[] = [];
      for (const o of manifest.outputs) {
        const path = join(settings.out, ...o.path.split("/"));
        const made = await stat(path).catch(() => undefined);
        if (!made?.isFile() || made.size !== o.bytes || made.mtimeMs <= input.mtimeMs || (await sha256Of(path)) !== o.sha256) return undefined;
        outputs.push(path);
      }
      return outputs;
    },
    manifest(file) {
      const outputs: Manifest["outputs"][number][] = [];
      return {
        add(o) {
          outputs.push({ path: relative(settings.out, o.path).split(sep).join("/"), bytes: o.data.length, sha256: sha256(o.data) });
        },
        async file() {
          const manifest: Manifest = { tutti, settings: key, input: await sha256Of(file.path), outputs };
          return { path: pathOf(file), data: new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n") };
        },
      };
    },
  };
}

/** Where a file's manifest goes. */
export function manifestPath(out: string, file: BatchInput): string {
  return join(out, MANIFESTS, `${file.outputStem}.json`);
}

/**
 * The files to skip, each with its outputs, and those to arrange, both in the order given. Looked
 * at a few at a time: a batch of many thousand files waits on the disk, not on the processor.
 */
export async function splitFinished(resume: Resume, files: readonly BatchInput[]): Promise<{ skipped: Skipped[]; todo: BatchInput[] }> {
  const found: (string[] | undefined)[] = [];
  for (let k = 0; k < files.length; k += 16) found.push(...(await Promise.all(files.slice(k, k + 16).map((f) => resume.finished(f)))));
  const skipped: Skipped[] = [];
  const todo: BatchInput[] = [];
  files.forEach((f, k) => {
    const outputs = found[k];
    if (outputs) skipped.push({ input: f.path, ok: true, skipped: true, outputs });
    else todo.push(f);
  });
  return { skipped, todo };
}

/**
 * What makes a file's outputs what they are: the ensemble, formats, style, alternatives, chord symbols and
 * report, and the instrument database (a user's `--instruments` can change an instrument). Not
 * `--out`, `--jobs` or the order of `--format`, which change no output's bytes.
 */
function settingsKey(settings: ArrangeSettings, db: Database): string {
  const instruments = [...db.instruments.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { ensemble, style, alternatives, report } = settings;
  // Chord symbols realised is the default, and leaves the records of earlier runs valid.
  const chords = settings.chordSymbols ? {} : { chordSymbols: false };
  return sha256(new TextEncoder().encode(JSON.stringify({ ensemble, formats: [...settings.formats].sort(), style, alternatives, report, instruments, ...chords })));
}

/** A manifest, or undefined when there is none or it is not one (any doubt means the file is arranged again). */
async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readFile(path, "utf8")) as Partial<Manifest>;
    const whole = typeof m.tutti === "string" && typeof m.settings === "string" && typeof m.input === "string" && Array.isArray(m.outputs) && m.outputs.length > 0;
    return whole && m.outputs!.every((o) => typeof o?.path === "string" && typeof o.bytes === "number" && typeof o.sha256 === "string") ? (m as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

const sha256Of = async (path: string): Promise<string> => sha256(await readFile(path));

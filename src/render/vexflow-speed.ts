/**
 * Faster equivalents of three VexFlow 5 internals that engraving an orchestral score calls
 * millions of times, each giving exactly what the original gives:
 *
 * - `Metrics.getFontInfo` and `Metrics.getStyle` copy their cached answer with `structuredClone`
 *   on every call (every note head measures its glyph): a copy of plain data is enough;
 * - `Metrics.get` splits its key and walks the defaults tree on every call: its answers are kept
 *   until `Metrics.clear`, which VexFlow calls whenever it changes the defaults (as it does for
 *   its own caches);
 * - `SVGContext.save`/`restore` `structuredClone` the drawing state; `clonePlain` does the same
 *   for the plain data it is (see `ShimContext` in `index.ts`).
 *
 * Together about a third of the engraving time of a large score. Installed once per process.
 */
import { Metrics } from "vexflow/core";

/** A deep copy of plain data (objects, arrays, primitives), as `structuredClone` makes of it. */
export function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = clonePlain((value as Record<string, unknown>)[k]);
  return out as T;
}

let installed = false;

interface MetricsStatics {
  get(key: string, defaultValue?: unknown): unknown;
  clear(key?: string): void;
  getFontInfo(key: string): unknown;
  getStyle(key: string): unknown;
  cacheFont: Map<string, unknown>;
  cacheStyle: Map<string, unknown>;
}

/** Replaces the VexFlow internals above by their faster equivalents (once). */
export function speedUpVexFlow(): void {
  if (installed) return;
  installed = true;
  const m = Metrics as unknown as MetricsStatics;
  const get = m.get.bind(m);
  const clear = m.clear.bind(m);
  const getFontInfo = m.getFontInfo.bind(m);
  const getStyle = m.getStyle.bind(m);
  // Metrics.get(key, d): the deepest value defined along the key's path, else d; no value it
  // finds is null or undefined (it skips those), so the answer without a default tells both.
  const known = new Map<string, unknown>();
  m.get = (key: string, defaultValue?: unknown): unknown => {
    let v = known.get(key);
    if (v === undefined && !known.has(key)) {
      v = get(key);
      known.set(key, v);
    }
    return v === undefined ? defaultValue : v;
  };
  m.clear = (key?: string): void => {
    if (key) {
      // Keys under `key` ("Stave" clears "Stave.padding", and also "StaveNote…", as a prefix
      // test errs on the side of forgetting).
      for (const k of [...known.keys()]) if (k.startsWith(key)) known.delete(k);
    } else known.clear();
    clear(key);
  };
  // The originals fill their caches on a miss; a hit is copied without structuredClone.
  m.getFontInfo = (key: string): unknown => {
    const hit = m.cacheFont.get(key);
    return hit === undefined ? getFontInfo(key) : clonePlain(hit);
  };
  m.getStyle = (key: string): unknown => {
    const hit = m.cacheStyle.get(key);
    return hit === undefined ? getStyle(key) : clonePlain(hit);
  };
}

/**
 * Faster or lighter equivalents of VexFlow 5 internals that engraving an orchestral score calls
 * millions of times, each giving exactly what the original gives:
 *
 * - `Metrics.getFontInfo` and `Metrics.getStyle` copy their cached answer with `structuredClone`
 *   on every call (every note head measures its glyph): a copy of plain data is enough;
 * - `Metrics.get` splits its key and walks the defaults tree on every call: its answers are kept
 *   until `Metrics.clear`, which VexFlow calls whenever it changes the defaults (as it does for
 *   its own caches);
 * - `SVGContext.save`/`restore` `structuredClone` the drawing state; `copyFlat` does the same
 *   for the flat plain data it is (see `ShimContext` in `vexflow-env.ts`);
 * - `Element.measureText` validates the element's font and writes it as CSS for every glyph it
 *   measures (and every note, made, measures its empty text): the CSS of each font is kept (until
 *   `Metrics.clear`, as the defaults may change), the last font's at hand without a lookup;
 * - `StaveNote.buildNoteHeads` adds the heads it builds to the note's `children` and never takes
 *   out those of the build before (a note builds its heads two or three times: once per stem
 *   direction it is given, and again in its constructor): the old heads are taken out, so they
 *   are garbage at once instead of living as long as the note. `children` serves
 *   `setGroupStyle` and `renderText` only, which Tutti never calls on a note.
 *
 * Together about a third of the engraving time of a large score. Installed once per process.
 */
import { Element, Font, Metrics, StaveNote } from "vexflow/core";

/** A deep copy of plain data (objects, arrays, primitives), as `structuredClone` makes of it. */
export function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = clonePlain((value as Record<string, unknown>)[k]);
    // An own "__proto__" stays a property (an assignment would set the prototype).
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out as T;
}

/**
 * A copy of an object VexFlow makes of primitives under string keys (its drawing state and
 * attributes): a spread copies it as `clonePlain` does, several times faster. One holding an
 * object (VexFlow puts none there) is copied by `clonePlain`.
 */
export function copyFlat<T extends object>(value: T): T {
  for (const k in value) if (isObject(value[k])) return clonePlain(value);
  return { ...value };
}

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null;

let installed = false;

/** CSS of fonts given as objects: family → size → weight → style → CSS. */
const css = new Map<unknown, Map<unknown, unknown>>();

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
    css.clear();
    plainCss.clear();
    recent = undefined;
    if (key) {
      // Keys under `key` ("Stave" clears "Stave.padding", and also "StaveNote…", as a prefix
      // test errs on the side of forgetting).
      for (const k of [...known.keys()]) if (k.startsWith(key)) known.delete(k);
    } else known.clear();
    clear(key);
  };
  // The originals fill their caches on a miss; a hit is copied without structuredClone.
  m.getFontInfo = (key: string): unknown => {
    const hit = m.cacheFont.get(key) as FontFields | undefined;
    // The object getFontInfo made: these four fields, in this order, all primitives.
    return hit === undefined ? getFontInfo(key) : { family: hit.family, size: hit.size, weight: hit.weight, style: hit.style };
  };
  m.getStyle = (key: string): unknown => {
    const hit = m.cacheStyle.get(key) as StyleFields | undefined;
    if (hit === undefined) return getStyle(key);
    // The object getStyle made: these six fields, in this order, primitives from the defaults
    // (a copy of an object among them, which VexFlow's defaults have not, is left to clonePlain).
    const { fillStyle, strokeStyle, lineWidth, lineDash, shadowBlur, shadowColor } = hit;
    if (isObject(fillStyle) || isObject(strokeStyle) || isObject(lineWidth) || isObject(lineDash) || isObject(shadowBlur) || isObject(shadowColor)) return clonePlain(hit);
    return { fillStyle, strokeStyle, lineWidth, lineDash, shadowBlur, shadowColor };
  };
  const proto = Element.prototype as unknown as MeasuredElement;
  const measureText = proto.measureText;
  proto.measureText = function (this: MeasuredElement): TextMetrics {
    const context = (Element.getTextMeasurementCanvas() as { getContext(kind: "2d"): MeasureContext } | undefined)?.getContext("2d");
    if (!context) return measureText.call(this);
    const f = this.fontInfo;
    // Nearly every call is in the font of the call before (every note sets its width on being
    // made, in the note font): that font's CSS and metrics are at hand without a lookup.
    const r = recent;
    const same = r !== undefined && r.context === context && typeof f === "object" && f !== null && f.family === r.family && f.size === r.size && f.weight === r.weight && f.style === r.style;
    const { font, byText } = same ? r : fontOf(context, f);
    context.font = font;
    let metrics = byText.get(this.text);
    if (metrics === undefined) {
      metrics = context.measureText(this.text);
      if (context.remembers) byText.set(this.text, metrics);
    }
    this._textMetrics = metrics;
    this._height = metrics.actualBoundingBoxAscent + metrics.actualBoundingBoxDescent;
    this._width = metrics.width;
    this.metricsValid = true;
    return metrics;
  };
  const note = StaveNote.prototype as unknown as NoteWithHeads;
  const buildNoteHeads = note.buildNoteHeads;
  note.buildNoteHeads = function (this: NoteWithHeads): unknown {
    const old = this._noteHeads;
    if (old.length > 0) this.children = this.children.filter((c) => !old.includes(c));
    return buildNoteHeads.call(this);
  };
}

/** The fields of VexFlow's StaveNote that `buildNoteHeads` reads and sets. */
interface NoteWithHeads {
  buildNoteHeads(): unknown;
  readonly _noteHeads: readonly object[];
  children: object[];
}

/** CSS of fonts given as strings, and metrics by measuring context, font and text. */
const plainCss = new Map<unknown, string>();
const measured = new WeakMap<object, Map<string, Map<string, TextMetrics>>>();

/** The font measured in last (its fields, its CSS and its metrics by text), forgotten on `Metrics.clear`. */
let recent: (FontFields & { readonly context: MeasureContext; readonly font: string; readonly byText: Map<string, TextMetrics> }) | undefined;

/** The CSS of a font (VexFlow's font fields, or a font that is not an object) and its metrics by text in a context. */
function fontOf(context: MeasureContext, f: unknown): { font: string; byText: Map<string, TextMetrics> } {
  // The font's CSS, by its four fields (a map per field: 30 and "30" are different keys, as
  // Font.validate treats them differently); a font that is not an object by itself.
  let font: string | undefined;
  let last: Map<unknown, string> | undefined;
  const fields = typeof f === "object" && f !== null ? (f as FontFields) : undefined;
  if (fields) {
    const bySize = child(css, fields.family);
    const byWeight = child(bySize, fields.size);
    last = child(byWeight, fields.weight) as Map<unknown, string>;
    font = last.get(fields.style);
  } else font = plainCss.get(f);
  if (font === undefined) {
    font = Font.toCSSString(Font.validate(f as never));
    if (last) last.set(fields!.style, font);
    else plainCss.set(f, font);
  }
  // The canvas VexFlow measures with answers the same text in the same font with the same
  // metrics (`cachingCanvas` in vexflow-env.ts remembers them): so do we, without asking it again.
  let byFont = measured.get(context);
  if (!byFont) measured.set(context, (byFont = new Map()));
  let byText = byFont.get(font);
  if (!byText) byFont.set(font, (byText = new Map()));
  if (fields) recent = { context, family: fields.family, size: fields.size, weight: fields.weight, style: fields.style, font, byText };
  return { font, byText };
}

/** The map under `key` in a map of maps, made if need be. */
function child(map: Map<unknown, unknown>, key: unknown): Map<unknown, unknown> {
  let m = map.get(key) as Map<unknown, unknown> | undefined;
  if (!m) map.set(key, (m = new Map()));
  return m;
}

interface MeasureContext {
  font: string;
  measureText(text: string): TextMetrics;
  /** Set by a context that always gives the same metrics for the same font and text. */
  readonly remembers?: boolean;
}

interface StyleFields {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: unknown;
  lineDash: unknown;
  shadowBlur: unknown;
  shadowColor: unknown;
}

interface FontFields {
  family: unknown;
  size: unknown;
  weight: unknown;
  style: unknown;
}

/** The fields of VexFlow's Element that `measureText` reads and sets. */
interface MeasuredElement {
  measureText(): TextMetrics;
  readonly fontInfo: FontFields;
  readonly text: string;
  _textMetrics: TextMetrics;
  _height: number;
  _width: number;
  metricsValid: boolean;
}

interface TextMetrics {
  readonly width: number;
  readonly actualBoundingBoxAscent: number;
  readonly actualBoundingBoxDescent: number;
}

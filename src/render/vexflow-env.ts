/**
 * VexFlow's surroundings: a text-measuring canvas that remembers its answers, a `document` where
 * there is none, deterministic element ids, and an SVG context that draws into the small DOM
 * shim of `dom.ts` (the faster internals it relies on are in `vexflow-speed.ts`).
 */
import { Element, SVGContext, VexFlow } from "vexflow/core";
import { ensureDocument, ShimElement } from "./dom.js";
import { copyFlat, speedUpVexFlow } from "./vexflow-speed.js";

/** A canvas VexFlow can measure text with (an HTMLCanvasElement, OffscreenCanvas or @napi-rs/canvas). */
export interface MeasureCanvas {
  getContext(kind: "2d"): unknown;
}

/** Makes VexFlow ready to engrave a score: the same ids and the same measurements each time. */
export function setUpVexFlow(canvas: MeasureCanvas): void {
  ensureDocument();
  speedUpVexFlow();
  Element.setTextMeasurementCanvas(cachingCanvas(canvas) as never);
  VexFlow.setFonts("Bravura", "Academico");
  (Element as unknown as { ID: number }).ID = 1000; // deterministic ids
}

interface Measurer {
  font: string;
  measureText(text: string): unknown;
}

const cachedCanvases = new WeakMap<MeasureCanvas, MeasureCanvas>();

/**
 * VexFlow measures every glyph of every note through the canvas, the same few hundred strings
 * over and over; remembering the answers makes engraving several times faster.
 */
function cachingCanvas(canvas: MeasureCanvas): MeasureCanvas {
  const known = cachedCanvases.get(canvas);
  if (known) return known;
  const inner = canvas.getContext("2d") as Measurer;
  const cache = new Map<string, unknown>();
  let font = inner.font;
  const ctx: Measurer & { readonly remembers: true } = {
    // Same font and text, same metrics (see vexflow-speed.ts).
    remembers: true,
    get font() {
      return font;
    },
    set font(f: string) {
      font = f;
    },
    measureText(text: string) {
      const key = `${font}\u0000${text}`;
      let m = cache.get(key);
      if (m === undefined) {
        inner.font = font;
        m = plainMetrics(inner.measureText(text));
        cache.set(key, m);
      }
      return m;
    },
  };
  const wrapped: MeasureCanvas = { getContext: () => ctx };
  cachedCanvases.set(canvas, wrapped);
  return wrapped;
}

/** The fields of a canvas's `TextMetrics`. */
const METRICS = [
  "width",
  "actualBoundingBoxLeft",
  "actualBoundingBoxRight",
  "fontBoundingBoxAscent",
  "fontBoundingBoxDescent",
  "actualBoundingBoxAscent",
  "actualBoundingBoxDescent",
  "hangingBaseline",
  "alphabeticBaseline",
  "ideographicBaseline",
  "emHeightAscent",
  "emHeightDescent",
] as const;

/**
 * A canvas's text metrics as a plain object of the same numbers. @napi-rs/canvas (and a browser)
 * answers with an object whose every field is a getter into native code, some 0.8 µs a read, and
 * VexFlow reads the metrics of every glyph again and again: a quarter of the engraving time.
 */
function plainMetrics(m: unknown): Record<(typeof METRICS)[number], number> {
  const fields = m as Record<(typeof METRICS)[number], number>;
  const out = {} as Record<(typeof METRICS)[number], number>;
  for (const k of METRICS) out[k] = fields[k];
  return out;
}

/** VexFlow's SVG context drawing into a shim `<div>`: its `<svg>` is `root`. */
export class ShimContext extends SVGContext {
  constructor() {
    super(new ShimElement("div") as never);
  }

  /** The `<svg>` element drawn into. */
  get root(): ShimElement {
    return this.svg as unknown as ShimElement;
  }

  override create(type: string): never {
    return new ShimElement(type) as never;
  }

  // As SVGContext's, with a copy of the plain drawing state instead of structuredClone (see
  // vexflow-speed.ts). Restored, the copy saved is taken as it is: nothing else holds it, so a
  // second copy (SVGContext's) would be the same.
  override save(): this {
    this.stateStack.push({ state: copyFlat(this.state), attributes: copyFlat(this.attributes) });
    return this;
  }

  override restore(): this {
    const saved = this.stateStack.pop();
    if (saved) {
      this.state = saved.state;
      this.attributes = saved.attributes;
    }
    return this;
  }
}

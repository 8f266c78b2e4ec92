/**
 * The worker of the page: loads the engraving fonts, then for each request reads the dropped
 * file, arranges it with the built-in instrument database, sends it as MusicXML and MIDI, then
 * engraves the SVG pages and sends each when it is done, so a long score can be downloaded and
 * read from its first page on. Everything here is Tutti's core (src/index.ts), which uses no Node API.
 */
import bravuraUrl from "@vexflow-fonts/bravura/bravura.otf";
import academicoUrl from "@vexflow-fonts/academico/academico.otf";
import academicoBoldUrl from "@vexflow-fonts/academico/academico-bold.otf";
import { arrange, ensembles, loadEnsemble, readScore, renderSvgPages, setMeasureCanvas, summarise, TuttiError, writeMusicXml, writeScore } from "../../src/index.js";
import type { ArrangeRequest, EnsembleChoice, WorkerReply } from "./protocol.js";

/** The parts of a worker's global scope this file uses (the DOM library types the page, not workers). */
interface WorkerScope {
  readonly location: { readonly href: string };
  readonly fonts: FontFaceSet;
  postMessage(message: WorkerReply): void;
  onmessage: ((event: MessageEvent<ArrangeRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const post = (message: WorkerReply): void => scope.postMessage(message);

/** The fonts VexFlow measures glyphs and text in; the SVG itself needs none (glyphs are outlined). */
async function loadFonts(): Promise<void> {
  const faces = [
    new FontFace("Bravura", `url(${new URL(bravuraUrl, scope.location.href).href})`),
    new FontFace("Academico", `url(${new URL(academicoUrl, scope.location.href).href})`),
    new FontFace("Academico", `url(${new URL(academicoBoldUrl, scope.location.href).href})`, { weight: "bold" }),
  ];
  for (const face of faces) scope.fonts.add(await face.load());
  setMeasureCanvas(new OffscreenCanvas(300, 150));
}

const choices: EnsembleChoice[] = ensembles().map((e) => ({ id: e.id, name: e.name, parts: e.instruments.length }));
const ready = loadFonts();

/** One line naming the file, whatever was thrown. */
function messageOf(err: unknown, name: string): string {
  const message = err instanceof TuttiError ? err.message : `${name}: ${err instanceof Error ? err.message : String(err)}`;
  const line = message.split("\n")[0]!;
  return line.includes(name) ? line : `${name}: ${line}`;
}

async function handle(req: ArrangeRequest): Promise<void> {
  const started = performance.now();
  try {
    await ready;
    post({ type: "progress", id: req.id, stage: `Reading ${req.name}…` });
    const sketch = readScore(req.bytes, req.name);
    const ensemble = loadEnsemble(req.ensemble);
    post({ type: "progress", id: req.id, stage: `Arranging ${req.name} for ${ensemble.name}…` });
    const [best] = arrange(sketch, ensemble, undefined, { style: req.style });
    if (!best) throw new TuttiError("UNSUPPORTED", "no arrangement found");
    // The arrangement goes first, so it can be downloaded while the pages are engraved; each page
    // follows when it is done. A newer request (another file, ensemble or style) stops the engraving.
    const engraving = renderSvgPages(best.score);
    const { sketch: sketchNotes, placed, leftOut } = best.report.notes;
    post({
      type: "arranged",
      id: req.id,
      name: req.name,
      ensemble: choices.find((c) => c.id === ensemble.id) ?? { id: ensemble.id, name: ensemble.name, parts: ensemble.instruments.length },
      style: req.style,
      parts: best.score.parts.map((p) => p.name),
      musicxml: writeMusicXml(best.score),
      midi: writeScore(best.score, "midi"),
      summary: summarise(best.report),
      notes: { sketch: sketchNotes, placed, leftOut },
      measures: best.score.parts[0]?.measures.length ?? 0,
      pageCount: engraving.count,
    });
    let index = 0;
    for (const svg of engraving.pages) {
      post({ type: "page", id: req.id, index: index++, svg });
      // Let a newer request's message in between pages.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (req.id !== latest) return;
    }
    post({ type: "done", id: req.id, milliseconds: Math.round(performance.now() - started) });
  } catch (err) {
    post({ type: "error", id: req.id, message: messageOf(err, req.name) });
  }
}

// Requests are handled one at a time; one superseded while it waited (the user dropped another
// file or changed the ensemble) is skipped, and the page ignores replies to older ones.
let queue: Promise<void> = Promise.resolve();
let latest = 0;
scope.onmessage = (event) => {
  const req = event.data;
  latest = req.id;
  queue = queue.then(() => (req.id === latest ? handle(req) : undefined));
};

ready.then(
  () => post({ type: "ready", ensembles: choices }),
  (err: unknown) => post({ type: "error", id: 0, message: `The engraving fonts did not load: ${err instanceof Error ? err.message : String(err)}` }),
);

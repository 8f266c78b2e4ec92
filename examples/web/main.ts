/**
 * The page: takes a dropped (or chosen) file, sends its bytes to the worker with the ensemble
 * and style chosen, and shows what comes back: the parts, the report and links to download the
 * arrangement as MusicXML and MIDI first, then the SVG pages as they are engraved. Changing the
 * ensemble or the style arranges the last file again.
 */
import type { Arranged, ArrangeRequest, EnsembleChoice, WorkerReply } from "./protocol.js";

const DEFAULT_ENSEMBLE = "string-quartet";

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const ui = {
  ensemble: $<HTMLSelectElement>("ensemble"),
  style: $<HTMLSelectElement>("style"),
  file: $<HTMLInputElement>("file"),
  drop: $<HTMLElement>("drop"),
  status: $<HTMLElement>("status"),
  result: $<HTMLElement>("result"),
  title: $<HTMLElement>("result-title"),
  parts: $<HTMLElement>("result-parts"),
  report: $<HTMLElement>("report"),
  pages: $<HTMLElement>("pages"),
  musicxml: $<HTMLAnchorElement>("download-musicxml"),
  midi: $<HTMLAnchorElement>("download-midi"),
};

type State = "loading" | "ready" | "working" | "done" | "error";

/** `data-state` on the body drives the styling, and tells a test when the page is done. */
function show(state: State, status: string): void {
  document.body.dataset.state = state;
  ui.status.textContent = status;
}

const worker = new Worker(new URL("worker.js", (document.currentScript as HTMLScriptElement | null)?.src ?? location.href));
let lastFile: { name: string; bytes: Uint8Array } | undefined;
let requestId = 0;
let workerReady = false;
let blobUrls: string[] = [];
/** The arrangement on show, while its pages come in. */
let current: Arranged | undefined;

/** "chorale.musicxml" → "chorale". */
function stemOf(name: string): string {
  return name.replace(/\.(musicxml|xml|mxl|midi?|kar)$/i, "") || "score";
}

function fillEnsembles(list: readonly EnsembleChoice[]): void {
  const current = ui.ensemble.value || DEFAULT_ENSEMBLE;
  ui.ensemble.replaceChildren(
    ...list.map((e) => {
      const option = new Option(`${e.name} (${e.parts} ${e.parts === 1 ? "part" : "parts"})`, e.id);
      option.selected = e.id === current;
      return option;
    }),
  );
}

function arrangeLast(): void {
  if (!lastFile) return;
  const req: ArrangeRequest = {
    type: "arrange",
    id: ++requestId,
    name: lastFile.name,
    bytes: lastFile.bytes,
    ensemble: ui.ensemble.value,
    style: ui.style.value === "plain" ? "plain" : "rich",
  };
  show("working", workerReady ? `Working on ${lastFile.name}…` : `Loading the engraver, then ${lastFile.name}…`);
  worker.postMessage(req);
}

async function take(file: File | undefined): Promise<void> {
  if (!file) return;
  try {
    lastFile = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  } catch (err) {
    clearResult();
    show("error", `${file.name}: could not be read (${err instanceof Error ? err.message : String(err)})`);
    return;
  }
  arrangeLast();
}

function clearResult(): void {
  current = undefined;
  for (const url of blobUrls) URL.revokeObjectURL(url);
  blobUrls = [];
  ui.result.hidden = true;
  ui.pages.replaceChildren();
}

function blobUrl(data: BlobPart, type: string): string {
  const url = URL.createObjectURL(new Blob([data], { type }));
  blobUrls.push(url);
  return url;
}

function showResult(r: Arranged): void {
  clearResult();
  current = r;
  const stem = `${stemOf(r.name)}.${r.ensemble.id}`;
  ui.title.textContent = `${r.name} for ${r.ensemble.name} (${r.style})`;
  ui.parts.textContent = r.parts.join(" · ");
  ui.report.textContent = r.summary;
  ui.musicxml.href = blobUrl(r.musicxml, "application/vnd.recordare.musicxml+xml");
  ui.musicxml.download = `${stem}.musicxml`;
  ui.midi.href = blobUrl(r.midi as Uint8Array<ArrayBuffer>, "audio/midi");
  ui.midi.download = `${stem}.mid`;
  ui.result.hidden = false;
  show("working", `Engraving ${r.name}: page 1 of ${r.pageCount}…`);
}

function addPage(index: number, svg: string): void {
  if (!current) return;
  const page = document.createElement("div");
  page.className = "page";
  page.setAttribute("aria-label", `page ${index + 1} of ${current.pageCount}`);
  // Tutti's renderer escapes every text and attribute it writes (src/render/dom.ts), so the
  // markup carries nothing from the file but escaped text.
  page.innerHTML = svg;
  ui.pages.append(page);
  if (index + 1 < current.pageCount) show("working", `Engraving ${current.name}: page ${index + 2} of ${current.pageCount}…`);
}

function finish(milliseconds: number): void {
  if (!current) return;
  const r = current;
  const pages = r.pageCount === 1 ? "1 page" : `${r.pageCount} pages`;
  const left = r.notes.leftOut ? `, ${r.notes.leftOut} left out` : "";
  show("done", `${r.name}: ${r.measures} measures, ${r.notes.placed} of ${r.notes.sketch} notes placed${left}, ${pages}, in ${(milliseconds / 1000).toFixed(1)} s.`);
}

worker.onmessage = (event: MessageEvent<WorkerReply>) => {
  const msg = event.data;
  switch (msg.type) {
    case "ready":
      workerReady = true;
      fillEnsembles(msg.ensembles);
      if (document.body.dataset.state === "loading") show("ready", "Ready: drop a file.");
      return;
    case "progress":
      if (msg.id === requestId) show("working", msg.stage);
      return;
    case "arranged":
      if (msg.id === requestId) showResult(msg);
      return;
    case "page":
      if (msg.id === requestId) addPage(msg.index, msg.svg);
      return;
    case "done":
      if (msg.id === requestId) finish(msg.milliseconds);
      return;
    case "error":
      if (msg.id !== requestId && msg.id !== 0) return;
      clearResult();
      show("error", msg.message);
      return;
  }
};
worker.onerror = (event) => {
  clearResult();
  show("error", `The arranging worker failed: ${event.message || "see the browser console"}`);
};

// Dropping: the zone lights up while a file is over it; a drop elsewhere does not navigate away.
let depth = 0;
ui.drop.addEventListener("dragenter", (e) => {
  e.preventDefault();
  depth++;
  ui.drop.classList.add("over");
});
ui.drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
});
ui.drop.addEventListener("dragleave", () => {
  if (--depth <= 0) {
    depth = 0;
    ui.drop.classList.remove("over");
  }
});
ui.drop.addEventListener("drop", (e) => {
  e.preventDefault();
  e.stopPropagation();
  depth = 0;
  ui.drop.classList.remove("over");
  void take(e.dataTransfer?.files[0]);
});
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => {
  e.preventDefault();
  void take(e.dataTransfer?.files[0]);
});

ui.file.addEventListener("change", () => {
  void take(ui.file.files?.[0]);
  ui.file.value = ""; // choosing the same file again arranges it again
});
ui.ensemble.addEventListener("change", arrangeLast);
ui.style.addEventListener("change", arrangeLast);
$<HTMLFormElement>("options").addEventListener("submit", (e) => e.preventDefault());

/**
 * The page in examples/web, in a real browser: the bundle is built with esbuild, served on a free
 * localhost port, and opened in Debian's Chromium driven by playwright-core. Fixtures are dropped
 * on the drop zone as a user would (a DataTransfer holding a File, with dragenter, dragover and
 * drop events), and the test checks what a user would see and get: engraved SVG pages with about
 * as many noteheads as the sketch has notes, the ensemble's part names, a MusicXML download with
 * one <part> per instrument, and a clear message naming a broken file.
 *
 * Chromium comes from Debian (`sh scripts/ensure-chromium.sh`, run by `npm test` as "pretest"),
 * never from Playwright's own download. Without it the test skips, except in CI, where it fails.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type JSHandle, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildWeb, WEB_ROOT } from "../examples/web/build.mjs";
import { serve } from "../examples/web/serve.mjs";
import { readScore, scoreNotes } from "../src/index.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);
if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(`test/web.test.ts skipped: ${CHROMIUM} is missing; install it with \`sh scripts/ensure-chromium.sh\` (as root, or with sudo).`);
}

/**
 * Flags that let Chromium start quickly and quietly on a machine with a closed network, as root.
 * Playwright passes --headless and a fresh temporary --user-data-dir itself (it refuses a
 * --user-data-dir among the args).
 */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const SKETCH = `${FIXTURES}../scores/bach-bwv66.6-sketch.musicxml`;
const MIDI = `${FIXTURES}corpus/midi/pianomidi-debussy-childrens-corner-2.mid`;

/** Pitched notes of a file as Tutti reads it: the arrangement engraves at least about as many noteheads. */
function sketchNotes(path: string): number {
  const name = path.split("/").pop()!;
  return scoreNotes(readScore(bytesOf(path), name)).flat().filter((n) => n.pitch).length;
}

let root = "";
let server: { url: string; close: () => Promise<void> } | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)("the web page (examples/web) in Chromium", () => {
  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing: run \`sh scripts/ensure-chromium.sh\` as root before the tests (npm test runs it as "pretest")`);
    // Built into a folder of its own, so a developer's examples/web/dist is left alone.
    root = await mkdtemp(join(tmpdir(), "tutti-web-"));
    await Promise.all([copyFile(`${WEB_ROOT}index.html`, join(root, "index.html")), copyFile(`${WEB_ROOT}style.css`, join(root, "style.css"))]);
    const built = await buildWeb({ outdir: join(root, "dist"), logLevel: "silent" });
    expect(built.errors).toEqual([]);
    server = await serve(root);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Drops a file on the drop zone as the browser would deliver it, and waits for the page to finish. */
  async function drop(name: string, bytes: Uint8Array, meanwhile?: () => Promise<void>): Promise<"done" | "error"> {
    const transfer: JSHandle<DataTransfer> = await page.evaluateHandle(
      ({ name, data }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(data)], name));
        return dt;
      },
      { name, data: [...bytes] },
    );
    // The page's state before the drop is "ready", "done" or "error"; wait for the drop to be taken.
    await page.evaluate(() => (document.body.dataset.state = "dropping"));
    for (const type of ["dragenter", "dragover", "drop"]) await page.dispatchEvent("#drop", type, { dataTransfer: transfer });
    await transfer.dispose();
    await meanwhile?.();
    const settled = await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 45_000 });
    return (await settled.getAttribute("data-state")) as "done" | "error";
  }

  async function noteheads(): Promise<number> {
    return page.locator("#pages svg .vf-notehead").count();
  }

  /** Downloads the MusicXML, checks its name and that it is a score of `parts` parts, and returns its bytes. */
  async function downloadMusicXml(name: string, parts: number): Promise<Buffer> {
    const xml = await download("#download-musicxml");
    expect(xml.name).toBe(name);
    const text = xml.bytes.toString("utf8");
    expect(text.startsWith("<?xml")).toBe(true);
    expect(text).toContain("<score-partwise");
    expect(text.match(/<part id=/g)).toHaveLength(parts);
    return xml.bytes;
  }

  /** Clicks a download link and returns the file's name and bytes, as the browser saved them. */
  async function download(selector: string): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
  }

  test("a MusicXML sketch dropped on the page is arranged for string quartet and engraved", { timeout: 60_000 }, async () => {
    const name = "bach-bwv66.6-sketch.musicxml";
    expect(await page.inputValue("#ensemble")).toBe("string-quartet");
    expect(await drop(name, bytesOf(SKETCH))).toBe("done");

    const notes = sketchNotes(SKETCH);
    expect(notes).toBeGreaterThan(100);
    expect(await page.locator("#pages svg").count()).toBeGreaterThanOrEqual(1);
    expect(await noteheads()).toBeGreaterThanOrEqual(Math.floor(notes * 0.9));
    // One staff per string part in every system.
    const staves = await page.locator("#pages svg .vf-stave").count();
    expect(staves % 4).toBe(0);
    expect(staves).toBeGreaterThanOrEqual(8);
    expect(await page.textContent("#result-parts")).toBe("Violin I · Violin II · Viola · Cello");
    expect(await page.textContent("#status")).toContain(`${notes} of ${notes} notes placed`);

    const xml = await downloadMusicXml("bach-bwv66.6-sketch.string-quartet.musicxml", 4);
    // What was downloaded reads back as the arrangement: four parts, every sketch note there.
    const back = readScore(new Uint8Array(xml), "bach-bwv66.6-sketch.string-quartet.musicxml");
    expect(back.parts.map((p) => p.name)).toEqual(["Violin I", "Violin II", "Viola", "Cello"]);
    expect(scoreNotes(back).flat().filter((n) => n.pitch).length).toBeGreaterThanOrEqual(notes);

    const midi = await download("#download-midi");
    expect(midi.name).toBe("bach-bwv66.6-sketch.string-quartet.mid");
    expect(midi.bytes.subarray(0, 4).toString("latin1")).toBe("MThd");

    if (process.env.TUTTI_WEB_SCREENSHOT) await page.screenshot({ path: process.env.TUTTI_WEB_SCREENSHOT, fullPage: true });
  });

  test("a broken file dropped on the page gives a message naming it, and the page goes on", { timeout: 30_000 }, async () => {
    expect(await drop("broken.musicxml", new TextEncoder().encode('<?xml version="1.0"?>\n<score-partwise version="4.0"><part-list>'))).toBe("error");
    expect(await page.textContent("#status")).toMatch(/^broken\.musicxml: \S/);
    expect(await page.isHidden("#result")).toBe(true);
    expect(await page.locator("#pages svg").count()).toBe(0);

    expect(await drop("not-music.mid", new TextEncoder().encode("MThd, but then nothing a MIDI file has"))).toBe("error");
    expect(await page.textContent("#status")).toMatch(/^not-music\.mid: \S/);
  });

  test("a MIDI file dropped after choosing woodwind quintet is arranged for the quintet", { timeout: 60_000 }, async () => {
    await page.selectOption("#ensemble", "woodwind-quintet");
    // What the page shows when the result appears: the downloads come before the pages.
    await page.evaluate(() => {
      const result = document.getElementById("result")!;
      const seen: { pages: number; href: string }[] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        if (!result.hidden) seen.push({ pages: document.querySelectorAll("#pages .page").length, href: document.getElementById("download-musicxml")!.getAttribute("href")! });
      }).observe(result, { attributes: true, attributeFilter: ["hidden"] });
    });
    const name = "pianomidi-debussy-childrens-corner-2.mid";
    expect(await drop(name, bytesOf(MIDI))).toBe("done");
    const seen = await page.evaluate(() => (window as unknown as { seen: { pages: number; href: string }[] }).seen);
    expect(seen[0]).toEqual({ pages: 0, href: expect.stringMatching(/^blob:/) });

    const notes = sketchNotes(MIDI);
    expect(notes).toBeGreaterThan(500);
    const count = await page.locator("#pages svg").count();
    expect(count).toBeGreaterThan(1);
    expect(await page.locator("#pages .page").last().getAttribute("aria-label")).toBe(`page ${count} of ${count}`);
    expect(await page.textContent("#status")).toContain(`${count} pages`);
    expect(await noteheads()).toBeGreaterThanOrEqual(Math.floor(notes * 0.9));
    expect(await page.textContent("#result-parts")).toBe("Flute · Oboe · Clarinet in B♭ · Horn in F · Bassoon");

    await downloadMusicXml("pianomidi-debussy-childrens-corner-2.woodwind-quintet.musicxml", 5);
    expect(pageErrors).toEqual([]);
  });

  test("another ensemble chosen while the pages come in: the page ends with the new arrangement only", { timeout: 60_000 }, async () => {
    await page.selectOption("#ensemble", "woodwind-quintet");
    const switched = drop("pianomidi-debussy-childrens-corner-2.mid", bytesOf(MIDI), async () => {
      await page.waitForSelector("#result:not([hidden])", { timeout: 45_000 });
      await page.selectOption("#ensemble", "string-quartet");
    });
    expect(await switched).toBe("done");
    expect(await page.textContent("#result-parts")).toBe("Violin I · Violin II · Viola · Cello");
    expect(await page.textContent("#result-title")).toContain("for String Quartet");
    const labels = await page.locator("#pages .page").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
    expect(labels).toEqual(labels.map((_, i) => `page ${i + 1} of ${labels.length}`));
    expect(await page.textContent("#status")).toContain(`${labels.length} pages`);
    expect(pageErrors).toEqual([]);
  });
});

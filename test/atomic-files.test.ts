/** Outputs written all or none, each as soon as it is made (`AtomicFiles`, src/node/files.ts). */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { TuttiError } from "../src/model/errors.js";
import { AtomicFiles } from "../src/node/files.js";
import { pending } from "../src/node/temps.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tutti-atomic-"));
});
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
/** The names in a folder and below it, sorted. */
const names = (folder: string): string[] => readdirSync(folder, { recursive: true, encoding: "utf8" }).sort();

describe("AtomicFiles", () => {
  test("each output is on disk, under a temporary name, as soon as add resolves; commit renames them all into place", async () => {
    const out = new AtomicFiles();
    await out.add(join(dir, "a-1.svg"), bytes("one"));
    expect(names(dir)).toEqual([`a-1.svg.tutti-${process.pid}.tmp`]);
    expect(pending.size).toBe(1);
    await out.add(join(dir, "sub", "a-2.svg"), bytes("two"));
    await out.commit();
    expect(names(dir)).toEqual(["a-1.svg", "sub", join("sub", "a-2.svg")]);
    expect(readFileSync(join(dir, "sub", "a-2.svg"), "utf8")).toBe("two");
    expect(pending.size).toBe(0);
  });

  test("abort, when the caller's own work fails, removes what was written and leaves what was there", async () => {
    writeFileSync(join(dir, "a.svg"), "old");
    const out = new AtomicFiles();
    await out.add(join(dir, "a.svg"), bytes("new"));
    await out.add(join(dir, "b.svg"), bytes("new"));
    await out.abort();
    expect(names(dir)).toEqual(["a.svg"]);
    expect(readFileSync(join(dir, "a.svg"), "utf8")).toBe("old");
    expect(pending.size).toBe(0);
  });

  test("an input is never overwritten: commit refuses, naming it, and nothing is written", async () => {
    const input = join(dir, "sketch.musicxml");
    writeFileSync(input, "sketch");
    const out = new AtomicFiles([input]);
    await out.add(join(dir, "sketch.mid"), bytes("midi"));
    await out.add(input, bytes("arranged"));
    await expect(out.commit()).rejects.toThrow(new TuttiError("WRITE_FAILED", "refusing to overwrite the input file", input));
    expect(names(dir)).toEqual(["sketch.musicxml"]);
    expect(readFileSync(input, "utf8")).toBe("sketch");
  });

  test("a write that fails stops the writes after it; commit reports it and leaves nothing", async () => {
    writeFileSync(join(dir, "afile"), "in the way");
    const out = new AtomicFiles();
    await out.add(join(dir, "a.svg"), bytes("a"));
    await out.add(join(dir, "afile", "b.svg"), bytes("b"));
    await out.add(join(dir, "c.svg"), bytes("c"));
    await expect(out.commit()).rejects.toThrow(`cannot write ${join(dir, "afile", "b.svg")}: ${join(dir, "afile")} is a file, not a folder`);
    expect(names(dir)).toEqual(["afile"]);
    expect(pending.size).toBe(0);
  });

  // Node's recursive mkdir never returns there: each folder is made on its own, and the refusal is reported.
  test.skipIf(!existsSync("/proc/self"))("a folder the file system will not make (under /proc) fails the write in words, at once", async () => {
    const out = new AtomicFiles();
    await out.add("/proc/tutti-no-such/out/a.svg", bytes("a"));
    await expect(out.commit()).rejects.toThrow("cannot write /proc/tutti-no-such/out/a.svg: the folder /proc/tutti-no-such cannot be made there");
    expect(pending.size).toBe(0);
  });

  test("a folder where an output goes fails them all before any is renamed", async () => {
    mkdirSync(join(dir, "b.svg"));
    const out = new AtomicFiles();
    await out.add(join(dir, "a.svg"), bytes("a"));
    await out.add(join(dir, "b.svg"), bytes("b"));
    await expect(out.commit()).rejects.toThrow(`cannot write ${join(dir, "b.svg")}: a folder of that name is in the way`);
    expect(names(dir)).toEqual(["b.svg"]);
    expect(existsSync(join(dir, "a.svg"))).toBe(false);
  });
});

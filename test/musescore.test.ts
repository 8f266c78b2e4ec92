/**
 * MuseScore 3 opens every arrangement of the notation matrix (piano pieces, reduced quartet
 * movements, the LilyPond tuplet files; four ensembles) with no import message: its importer
 * reports what it has to guess ("implicit tuplet start", "no duration type", "tuplet not
 * stopped"). Skipped, with a message, where `mscore3` is not installed (as in CI); install it
 * with `apt-get install musescore3`. All files go to MuseScore in one batch job (-j), which
 * prints each file's messages after its "convert <file>..." line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { arrange } from "../src/orchestrate/index.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { ENSEMBLES, sketches } from "./support/arrangement-matrix.js";

const present = spawnSync("sh", ["-c", "command -v mscore3"]).status === 0;
if (!present) console.warn("test/musescore.test.ts skipped: mscore3 is not installed (apt-get install musescore3)");

/** MuseScore's lines about each file of a batch job, by file. */
function messagesByFile(output: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split("\n")) {
    const start = /^convert <(.*)>\.\.\.$/.exec(line);
    if (start) out.set(start[1]!, (current = []));
    else if (current && line.trim() !== "" && !/^\tto <|^\.\.\. success!$|^QStandardPaths/.test(line)) current.push(line);
  }
  return out;
}

describe.skipIf(!present)("MuseScore 3 reads Tutti's arrangements without a word", () => {
  test("every arrangement of the matrix", () => {
    const dir = mkdtempSync(join(tmpdir(), "tutti-mscore-"));
    const job: { in: string; out: string }[] = [];
    const all = [...sketches("piano"), ...sketches("quartets"), ...sketches("tuplets").filter((s) => !/Nested/.test(s.name))];
    for (const s of all) {
      for (const e of ENSEMBLES) {
        const file = join(dir, `${s.name.replace(/\.\w+$/, "")}.${e}.musicxml`);
        writeFileSync(file, writeMusicXml(arrange(s.score, e)[0]!.score));
        job.push({ in: file, out: file.replace(/\.musicxml$/, ".pdf") });
      }
    }
    writeFileSync(join(dir, "job.json"), JSON.stringify(job));
    const run = spawnSync("mscore3", ["-j", join(dir, "job.json")], { env: { ...process.env, QT_QPA_PLATFORM: "offscreen" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 1_500_000 });
    const byFile = messagesByFile(`${run.stdout}\n${run.stderr}`);
    expect(byFile.size).toBe(job.length);
    const noisy = [...byFile].filter(([, lines]) => lines.length > 0).map(([f, lines]) => `${f.split("/").pop()}: ${lines[0]}`);
    expect(noisy).toEqual([]);
  }, 1_800_000);
});

/**
 * MuseScore 3 reads Tutti's arrangements without a word: its importer reports what it has to
 * guess ("implicit tuplet start", "no duration type", "ending stop without start") and its layout
 * what does not fit ("restHeight < 0.0" when a system is taller than the page). Skipped, with a
 * message, where `mscore3` is not installed (`apt-get install musescore3`). All files of a test go
 * to MuseScore in one batch job (-j), which prints each file's messages after its
 * "convert <file>..." line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { arrange } from "../../src/orchestrate/index.js";
import { writeMusicXml } from "../../src/write/musicxml.js";
import type { Sketch } from "./arrangement-matrix.js";

const present = spawnSync("sh", ["-c", "command -v mscore3"]).status === 0;

/**
 * MuseScore takes 4 s or more per quartet movement, so CI (`npm test`) opens each quartet
 * movement in one ensemble, in turn; `npm run test:musescore` (MUSESCORE_ALL=1) opens them all.
 */
export const everyEnsemble = process.env.MUSESCORE_ALL === "1";

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

/** One test: every (sketch, ensemble) pair arranged, written as MusicXML and opened by MuseScore. */
export function openInMuseScore(title: string, pairs: readonly (readonly [Sketch, string])[]): void {
  if (!present) console.warn(`${title}: skipped, mscore3 is not installed (apt-get install musescore3)`);
  describe.skipIf(!present)("MuseScore 3 reads Tutti's arrangements without a word", () => {
    test(title, () => {
      const dir = mkdtempSync(join(tmpdir(), "tutti-mscore-"));
      try {
        const job = pairs.map(([sketch, ensemble]) => {
          const file = join(dir, `${sketch.name.replace(/\.\w+$/, "")}.${ensemble}.musicxml`);
          writeFileSync(file, writeMusicXml(arrange(sketch.score, ensemble)[0]!.score));
          return { in: file, out: file.replace(/\.musicxml$/, ".pdf") };
        });
        writeFileSync(join(dir, "job.json"), JSON.stringify(job));
        const run = spawnSync("mscore3", ["-j", join(dir, "job.json")], { env: { ...process.env, QT_QPA_PLATFORM: "offscreen" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 3_000_000 });
        const byFile = messagesByFile(`${run.stdout}\n${run.stderr}`);
        expect(byFile.size).toBe(job.length);
        const noisy = [...byFile].filter(([, lines]) => lines.length > 0).map(([f, lines]) => `${f.split("/").pop()}: ${lines[0]}`);
        expect(noisy).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 3_600_000);
  });
}

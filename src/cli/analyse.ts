/**
 * `tutti analyse <input> --out <dir>`: the lines a sketch hides, written as a score of one part per
 * line (`<stem>.voices.musicxml`) and a summary (`<stem>.analysis.json`).
 */
import type { Command } from "commander";
import { join } from "node:path";
import { analyse, mainRole, voicesScore } from "../analyse/index.js";
import type { Analysis } from "../analyse/types.js";
import { toString } from "../model/fraction.js";
import { midiOf, nameOf } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import { readScoreFile, stemOf, writeFilesAtomically } from "../node/files.js";
import { writeMusicXml } from "../write/musicxml.js";

export function registerAnalyse(program: Command): void {
  program
    .command("analyse")
    .alias("analyze")
    .description("separate a sketch's voices and name their roles: <stem>.voices.musicxml and <stem>.analysis.json")
    .argument("<input>", "the sketch to read")
    .requiredOption("--out <dir>", "folder for the outputs")
    .action(async (input: string, opts: { out: string }) => {
      const score = await readScoreFile(input);
      const analysis = analyse(score);
      const stem = stemOf(input);
      const enc = new TextEncoder();
      await writeFilesAtomically(
        [
          { path: join(opts.out, `${stem}.voices.musicxml`), data: enc.encode(writeMusicXml(voicesScore(score, analysis))) },
          { path: join(opts.out, `${stem}.analysis.json`), data: enc.encode(JSON.stringify(analysisSummary(score, analysis), null, 2) + "\n") },
        ],
        [input],
      );
    });
}

/** The analysis as plain JSON: lines with range and roles per phrase, phrases in measures and in time. */
export function analysisSummary(score: Score, analysis: Analysis): unknown {
  const numbers = (score.parts[0]?.measures ?? []).map((m) => m.number);
  return {
    source: score.meta.source,
    lineCount: analysis.lines.length,
    lines: analysis.lines.map((l) => {
      const sorted = [...l.notes].sort((a, b) => midiOf(a.pitch) - midiOf(b.pitch));
      return {
        index: l.index,
        role: mainRole(analysis, l.index) ?? null,
        notes: l.notes.length,
        shared: l.notes.filter((n) => n.shared?.length).length,
        range: sorted.length ? { low: nameOf(sorted[0]!.pitch), high: nameOf(sorted[sorted.length - 1]!.pitch) } : null,
        roles: analysis.roles.filter((r) => r.line === l.index).map((r) => ({ phrase: r.phrase, role: r.role, ...(r.figure ? { figure: r.figure } : {}) })),
      };
    }),
    phrases: analysis.phrases.map((p) => ({
      index: p.index,
      measures: { first: numbers[p.firstMeasure] ?? String(p.firstMeasure + 1), last: numbers[p.lastMeasure] ?? String(p.lastMeasure + 1) },
      start: toString(p.start),
      end: toString(p.end),
      dynamic: p.dynamic,
    })),
  };
}

/**
 * Batches over large archives (issue 19): `--shard K/N` shares a batch between machines, `--resume`
 * finishes one that was killed, and the temporary files a killed run leaves are cleared away.
 * Real chorales from fixtures/corpus; a killed run is a real process killed with SIGKILL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, test } from "vitest";
import { parseShard, shardOf } from "../src/cli/shard.js";
import { cliHarness } from "./support/cli.js";
import { FIXTURES } from "./support/corpus.js";

const cli = cliHarness("tutti-archives-");
const { errors, output, run } = cli;
let dir: string;
beforeEach(() => {
  dir = cli.folder();
});

/** The JSON summary the last run printed (the console is cleared for the next). */
function summary(): Summary {
  const s = JSON.parse(output.join("\n")) as Summary;
  output.length = 0;
  return s;
}

interface Summary {
  shard?: { index: number; count: number; files: number; of: number };
  inputs?: string[];
  arranged: number;
  skipped?: number;
  failed: number;
  files: { input: string; ok: boolean; skipped?: true; outputs?: string[]; code?: string }[];
}

/**
 * Six of the smaller chorales in a folder tree, named so that three shards take two each (the
 * deal follows from the names: see the first test).
 */
const LAYOUT: Record<string, string> = {
  "bwv244.10.mxl": "bwv244.10",
  "book2/bwv135.6.mxl": "bwv135.6",
  "bwv92.9.mxl": "bwv92.9",
  "book2/bwv190.7.mxl": "bwv190.7",
  "bwv66.6.mxl": "bwv66.6",
  "bwv125.6.mxl": "bwv125.6",
};

function makeArchive(names: readonly string[] = Object.keys(LAYOUT)): string {
  const folder = join(dir, "archive");
  for (const name of names) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    copyFileSync(join(FIXTURES, `corpus/chorales/${LAYOUT[name]}.mxl`), join(folder, name));
  }
  return folder;
}

/** Every file under a folder, hidden ones too, by relative path (forward slashes), with a hash of its bytes. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(root)) return out;
  for (const name of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    const p = join(root, name);
    if (statSync(p).isFile()) out[name.split("\\").join("/")] = createHash("sha256").update(readFileSync(p)).digest("hex");
  }
  return out;
}

describe("--shard K/N", () => {
  test("the deal: SHA-256 of the path below the input argument, modulo N, K from 0", () => {
    // Golden values: a script (or another version of Tutti) must deal the same way.
    expect(Object.fromEntries(Object.keys(LAYOUT).map((k) => [k, shardOf(k, 3)]))).toEqual({
      "bwv244.10.mxl": 0,
      "book2/bwv135.6.mxl": 0,
      "bwv92.9.mxl": 1,
      "book2/bwv190.7.mxl": 1,
      "bwv66.6.mxl": 2,
      "bwv125.6.mxl": 2,
    });
    expect(shardOf("op1/no2.mid", 3)).toBe(2); // sha256("op1/no2.mid") starts b1a618c4; 0xb1a618c4 % 3 = 2
    expect(shardOf("anything", 1)).toBe(0);
    expect(parseShard("0/3")).toEqual({ index: 0, count: 3 });
    expect(parseShard(" 2 / 3 ")).toEqual({ index: 2, count: 3 });
  });

  test("three shards together write exactly the files of one unsharded run, byte for byte, each file in one shard; their --json summaries merge", async () => {
    const archive = makeArchive();
    expect(await run("arrange", archive, "-e", "string-quartet", "-f", "musicxml,midi", "-o", join(dir, "all"), "--jobs", "1", "-q")).toBe(0);
    const whole = tree(join(dir, "all"));
    expect(Object.keys(whole)).toHaveLength(12);

    const shards: Record<string, string>[] = [];
    const summaries: Summary[] = [];
    for (const k of [0, 1, 2]) {
      expect(await run("arrange", archive, "-e", "string-quartet", "-f", "musicxml,midi", "-o", join(dir, `shard-${k}`), "--shard", `${k}/3`, "--json", "--jobs", "1")).toBe(0);
      shards.push(tree(join(dir, `shard-${k}`)));
      summaries.push(summary());
    }
    // No file in two shards, none left out, the same bytes.
    const names = shards.flatMap((s) => Object.keys(s));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.assign({}, ...shards)).toEqual(whole);
    expect(shards.map((s) => Object.keys(s).length)).toEqual([4, 4, 4]);

    // Merging is concatenating: every input once, and the counts add up.
    expect(summaries.map((s) => s.shard)).toEqual([0, 1, 2].map((index) => ({ index, count: 3, files: 2, of: 6 })));
    expect(summaries.every((s) => s.inputs?.length === 1 && s.inputs[0] === archive)).toBe(true);
    const merged = summaries.flatMap((s) => s.files);
    expect(merged.map((f) => relative(archive, f.input).split("\\").join("/")).sort()).toEqual(Object.keys(LAYOUT).sort());
    expect(merged.every((f) => f.ok)).toBe(true);
    expect(summaries.reduce((n, s) => n + s.arranged, 0)).toBe(6);
  });

  test("a shard's summary line names it; bad values are one line and exit 2, before any work", async () => {
    const archive = makeArchive(["bwv92.9.mxl", "bwv66.6.mxl"]);
    expect(await run("arrange", archive, "-e", "string-quartet", "-o", join(dir, "out"), "--shard", "1/3", "--jobs", "1")).toBe(0);
    expect(output.at(-1)).toMatch(/^shard 1\/3: 1 of 1 arranged in [\d.]+ s \(1 job\)$/);
    for (const bad of ["3/3", "-1/3", "1", "a/b", "0/0", "1/2/3", ""]) {
      expect(await run("arrange", archive, "-e", "string-quartet", "-o", join(dir, "bad"), "--shard", bad), bad).toBe(2);
    }
    expect(errors).toEqual([
      "tutti: --shard 3/3: K counts from 0, so it must be 0 to 2 (see `tutti arrange --help`)",
      ...["-1/3", "1", "a/b", "0/0", "1/2/3", ""].map((v) => `tutti: --shard must be K/N with N a whole number from 1 to 100000 and K from 0 to N-1, not "${v}" (see \`tutti arrange --help\`)`),
    ]);
    expect(existsSync(join(dir, "bad"))).toBe(false);
  });
});

describe("--resume", () => {
  /**
   * The CLI from the sources in a process of its own (tsx, as the batch runner's worker threads
   * use from sources), so it can be killed outright; resolves once `ready` says so, with the child.
   */
  function spawnCli(args: readonly string[], ready: (stdout: string) => boolean): Promise<ChildProcess> {
    const entry = new URL("../src/cli/main.ts", import.meta.url).href;
    const code = `import { main } from ${JSON.stringify(entry)}; process.exitCode = await main(["node", "tutti", ...process.argv.slice(1)]);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, "--", ...args], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    return new Promise((resolve, reject) => {
      let stdout = "";
      child.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (ready(stdout)) resolve(child);
      });
      child.on("exit", (code, signal) => reject(new Error(`the CLI ended (${code ?? signal}) before it was ready: ${stdout}`)));
    });
  }

  const exited = (child: ChildProcess): Promise<void> => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

  test("after SIGKILL: the stale temporary file goes, the finished files are skipped untouched, the rest arranged, and the folder is byte for byte that of an uninterrupted run", async () => {
    const archive = makeArchive();
    const args = (out: string): string[] => ["arrange", archive, "-e", "string-quartet", "-f", "musicxml,midi", "-o", out, "--resume", "--jobs", "1"];
    expect(await run(...args(join(dir, "whole")), "-q")).toBe(0);
    const whole = tree(join(dir, "whole"));
    // Two outputs per file, and its manifest.
    expect(Object.keys(whole)).toHaveLength(18);

    // Killed once its first file's outputs have landed (their line is printed after the write).
    const out = join(dir, "out");
    const child = await spawnCli(args(out), (stdout) => stdout.includes(" → "));
    child.kill("SIGKILL");
    await exited(child);
    expect(child.signalCode).toBe("SIGKILL");
    const manifests = readdirSync(join(out, ".tutti"), { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".json"));
    const finished = manifests.map((n) => n.split("\\").join("/").replace(/\.json$/, ".mxl")).sort();
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(6);
    const before = Object.fromEntries(finished.flatMap((f) => ["musicxml", "mid"].map((ext) => f.replace(/mxl$/, ext))).map((f) => [f, statSync(join(out, f)).mtimeMs]));
    // What a kill mid-write leaves: a temporary file named for the dead process.
    const stale = join(out, "book2", `bwv190.7.musicxml.tutti-${child.pid}.tmp`);
    mkdirSync(dirname(stale), { recursive: true });
    writeFileSync(stale, "<?xml version='1.0'?><score-partwise");

    expect(await run(...args(out), "--json")).toBe(0);
    const s = summary();
    expect(s.files.filter((f) => f.skipped).map((f) => relative(archive, f.input).split("\\").join("/")).sort()).toEqual(finished);
    expect(s).toMatchObject({ arranged: 6 - finished.length, skipped: finished.length, failed: 0 });
    expect(tree(out)).toEqual(whole);
    expect(Object.keys(tree(out)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    for (const [f, mtime] of Object.entries(before)) expect(statSync(join(out, f)).mtimeMs, f).toBe(mtime);
  });

  test("a file is arranged again when an option, its input, an output or the version differs; not for the order of --format or --jobs", async () => {
    const archive = makeArchive(["bwv92.9.mxl", "bwv66.6.mxl"]);
    const out = join(dir, "out");
    const again = async (...extra: string[]): Promise<string[]> => {
      expect(await run("arrange", archive, "-e", "string-quartet", "-o", out, "--resume", "--json", "--jobs", "1", ...extra)).toBe(0);
      return summary()
        .files.filter((f) => !f.skipped)
        .map((f) => relative(archive, f.input))
        .sort();
    };
    expect(await again("-f", "musicxml")).toEqual(["bwv66.6.mxl", "bwv92.9.mxl"]);
    expect(await again("-f", "musicxml")).toEqual([]);
    // Another format: both again (the manifest now lists both outputs); the formats' order does not count.
    expect(await again("-f", "musicxml,midi")).toEqual(["bwv66.6.mxl", "bwv92.9.mxl"]);
    expect(await again("-f", "midi,musicxml", "--jobs", "2")).toEqual([]);
    // Another style, then back: each time both.
    expect(await again("-f", "musicxml,midi", "--style", "plain")).toEqual(["bwv66.6.mxl", "bwv92.9.mxl"]);
    expect(await again("-f", "musicxml,midi")).toEqual(["bwv66.6.mxl", "bwv92.9.mxl"]);
    // An input newer than its outputs (edited since they were made): that file only.
    const earlier = new Date(statSync(join(archive, "bwv66.6.mxl")).mtimeMs - 60_000);
    utimesSync(join(out, "bwv66.6.musicxml"), earlier, earlier);
    expect(await again("-f", "musicxml,midi")).toEqual(["bwv66.6.mxl"]);
    expect(await again("-f", "musicxml,midi")).toEqual([]);
    // An input replaced by other bytes that are older than the outputs (`cp -p` of another file).
    copyFileSync(join(FIXTURES, "corpus/chorales/bwv244.10.mxl"), join(archive, "bwv66.6.mxl"));
    utimesSync(join(archive, "bwv66.6.mxl"), earlier, earlier);
    expect(await again("-f", "musicxml,midi")).toEqual(["bwv66.6.mxl"]);
    expect(await again("-f", "musicxml,midi")).toEqual([]);
    // An output cut short, or changed.
    writeFileSync(join(out, "bwv92.9.mid"), readFileSync(join(out, "bwv92.9.mid")).subarray(0, 100));
    expect(await again("-f", "musicxml,midi")).toEqual(["bwv92.9.mxl"]);
    // Changed in place, its size the same.
    writeFileSync(join(out, "bwv92.9.musicxml"), readFileSync(join(out, "bwv92.9.musicxml"), "utf8").replace(/<part-name>./, "<part-name>#"));
    expect(await again("-f", "musicxml,midi")).toEqual(["bwv92.9.mxl"]);
    // Made by another version of Tutti, or a manifest that is not one.
    const manifest = join(out, ".tutti", "bwv66.6.json");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/"tutti": "[^"]*"/, '"tutti": "0.0.1"'));
    writeFileSync(join(out, ".tutti", "bwv92.9.json"), "{ not json");
    expect(await again("-f", "musicxml,midi")).toEqual(["bwv66.6.mxl", "bwv92.9.mxl"]);
    expect(await again("-f", "musicxml,midi")).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("skipped files are named in the printed lines and counted in the summary line; a run without --resume keeps no record", async () => {
    const archive = makeArchive(["bwv92.9.mxl", "bwv66.6.mxl"]);
    const plain = join(dir, "plain");
    expect(await run("arrange", archive, "-e", "string-quartet", "-o", plain, "--jobs", "1", "-q")).toBe(0);
    expect(readdirSync(plain).sort()).toEqual(["bwv66.6.musicxml", "bwv92.9.musicxml"]);
    expect(await run("arrange", archive, "-e", "string-quartet", "-o", plain, "--resume", "--jobs", "1")).toBe(0);
    expect(output.at(-1)).toMatch(/^2 of 2 arranged in /);
    output.length = 0;
    expect(await run("arrange", archive, "-e", "string-quartet", "-o", plain, "--resume", "--jobs", "1")).toBe(0);
    expect(output).toEqual([
      `${join(archive, "bwv66.6.mxl")} → ${join(plain, "bwv66.6.musicxml")} (up to date, skipped)`,
      `${join(archive, "bwv92.9.mxl")} → ${join(plain, "bwv92.9.musicxml")} (up to date, skipped)`,
      expect.stringMatching(/^0 of 2 arranged, 2 skipped \(up to date\) in [\d.]+ s \(1 job\)$/),
    ]);
  });
});

describe("temporary files of killed runs", () => {
  test("only Tutti's, of processes that are gone, in the folders the run writes to, are removed", async () => {
    const archive = makeArchive(["bwv92.9.mxl", "book2/bwv135.6.mxl"]);
    const out = join(dir, "out");
    // A process that has ended, and one that runs (started here, and ended by its id below).
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => gone.once("exit", resolve));
    const alive = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"]);
    try {
      const planted = {
        // Removed: a dead run's, in each folder this run writes to.
        dead: `bwv92.9.musicxml.tutti-${gone.pid}.tmp`,
        deadBelow: `book2/bwv135.6.musicxml.tutti-${gone.pid}.tmp`,
        // Kept: live runs' (this test's own process, another, and pid 1, alive whether or not
        // this user may signal it), and anything not named as Tutti names its temporary files.
        mine: `v.musicxml.tutti-${process.pid}.tmp`,
        other: `other.musicxml.tutti-${alive.pid}.tmp`,
        init: `x.musicxml.tutti-1.tmp`,
        notPid: `y.musicxml.tutti-abc.tmp`,
        zero: `y.musicxml.tutti-0.tmp`,
        suffix: `z.musicxml.tutti-${gone.pid}.tmp.bak`,
        plainTmp: `z.musicxml.tmp`,
        user: `notes-${gone.pid}.tmp`,
        // Kept: a folder of that name, and a dead run's file in a folder this run does not write to.
        folder: `w.musicxml.tutti-${gone.pid}.tmp/`,
        elsewhere: `elsewhere/a.musicxml.tutti-${gone.pid}.tmp`,
      };
      for (const p of Object.values(planted)) {
        mkdirSync(dirname(join(out, p)), { recursive: true });
        if (p.endsWith("/")) mkdirSync(join(out, p));
        else writeFileSync(join(out, p), "left over");
      }
      expect(await run("arrange", archive, "-e", "string-quartet", "-o", out, "--jobs", "1", "-q")).toBe(0);
      const left = (p: string): boolean => existsSync(join(out, p));
      expect(Object.fromEntries(Object.entries(planted).map(([k, p]) => [k, left(p)]))).toEqual({
        dead: false,
        deadBelow: false,
        mine: true,
        other: true,
        init: true,
        notPid: true,
        zero: true,
        suffix: true,
        plainTmp: true,
        user: true,
        folder: true,
        elsewhere: true,
      });
      expect(left("bwv92.9.musicxml") && left("book2/bwv135.6.musicxml")).toBe(true);
    } finally {
      alive.kill();
    }
  });
});

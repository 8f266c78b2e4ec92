/**
 * `tutti arrange --shard K/N`: one of N machines (or processes) takes its share of a batch, and
 * the N shares are the whole batch, each file in exactly one. Every machine expands the same
 * inputs itself, so a file's shard must follow from something every machine sees the same: its
 * path relative to the folder or pattern it was found by (`BatchInput.shardKey`), not where the
 * archive is mounted.
 */
import { createHash } from "node:crypto";
import { TuttiError } from "../model/errors.js";

export interface Shard {
  /** Counted from 0, as Kubernetes' JOB_COMPLETION_INDEX is: 0 … count-1. */
  readonly index: number;
  readonly count: number;
}

/** More shards than this is surely a typing slip. */
const MAX_SHARDS = 100_000;

/**
 * Reads `--shard K/N`; K counts from 0.
 * @example parseShard("2/3") // { index: 2, count: 3 }
 * @throws TuttiError BAD_OPTION for anything else ("3/3", "1", "a/b")
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(count >= 1 && count <= MAX_SHARDS)) {
    throw new TuttiError("BAD_OPTION", `--shard must be K/N with N a whole number from 1 to ${MAX_SHARDS} and K from 0 to N-1, not "${text}"`);
  }
  if (!(index < count)) throw new TuttiError("BAD_OPTION", `--shard ${text}: K counts from 0, so it must be 0 to ${count - 1}`);
  return { index, count };
}

/**
 * The shard a file belongs to: the first four bytes of the SHA-256 of its key (UTF-8), as a
 * big-endian unsigned number, modulo the count. A published hash rather than one of our own, so
 * that a script can deal files the same way (`printf %s a/b.mid | sha256sum`); the remainder's bias
 * is at most count/2³², nothing beside the spread of a hash over a few hundred files.
 * @example shardOf("op1/no2.mid", 3) // 2 (SHA-256 b1a618c4…: 0xb1a618c4 % 3)
 */
export function shardOf(key: string, count: number): number {
  return createHash("sha256").update(key, "utf8").digest().readUInt32BE(0) % count;
}

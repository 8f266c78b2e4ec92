/** Standard MIDI File bytes checked chunk by chunk and event by event, before any parser trusts their lengths. */
import { concatBytes } from "../model/bytes.js";
import { TuttiError } from "../model/errors.js";
import { READ_LIMITS, sizeText } from "./limits.js";

/**
 * The whole file, checked event by event before @tonejs/midi (and midi-file under it) parses it,
 * since those trust every length: a truncated file otherwise reads as fewer notes (or none)
 * without a word, a lying length reads past a chunk, and a huge text event overflows the stack.
 * Checks the header, each chunk's length against the file, each event against its chunk, running
 * status, data bytes, the lengths of meta events, and `READ_LIMITS` (notes, tracks, beats). Chunks
 * other than tracks are skipped, as the standard says; the bytes returned hold only the header
 * and the tracks.
 */
export function scanSmf(bytes: Uint8Array, name: string): Uint8Array {
  const fail = (why: string, code: "BAD_MIDI" | "EMPTY_SCORE" = "BAD_MIDI"): never => {
    throw new TuttiError(code, why, name);
  };
  const u32 = (i: number): number => ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
  const u16 = (i: number): number => (bytes[i]! << 8) | bytes[i + 1]!;
  const tag = (i: number): string => String.fromCharCode(...bytes.subarray(i, i + 4));
  if (bytes.length > READ_LIMITS.maxMidiBytes) fail(`the MIDI file is larger than ${sizeText(READ_LIMITS.maxMidiBytes)}; refusing it`);
  if (bytes.length < 4 || tag(0) !== "MThd") fail("not a MIDI file (no MThd header)");
  const headerLength = bytes.length >= 8 ? u32(4) : 0;
  if (bytes.length < 14 || 8 + headerLength > bytes.length) fail("the file is cut short inside its header");
  if (headerLength < 6) fail(`the MIDI header is ${headerLength} bytes long; it needs 6`);
  const format = u16(8);
  const tracks = u16(10);
  const division = u16(12);
  if (format === 2) fail("the file is MIDI format 2 (independent patterns), which Tutti does not read");
  if (format > 2) fail(`the file says it is MIDI format ${format}; there are only formats 0, 1 and 2`);
  if (division & 0x8000) fail("the file uses SMPTE time, which Tutti does not read");
  if (division === 0) fail("the file says it has 0 ticks per quarter note");
  if (tracks === 0) fail("the MIDI file has no tracks", "EMPTY_SCORE");

  const stats = { notes: 0, lastTick: 0, tracksWithNotes: 0 };
  const kept: Uint8Array[] = [Uint8Array.from([...bytes.subarray(0, 4), 0, 0, 0, 6, ...bytes.subarray(8, 14)])];
  let pos = 8 + headerLength;
  for (let t = 0; t < tracks; ) {
    if (pos + 8 > bytes.length) fail(`the file is cut short: it declares ${tracks} tracks but ends in track ${t + 1}`);
    const length = u32(pos + 4);
    if (pos + 8 + length > bytes.length) {
      fail(`the file is cut short: track ${t + 1} of ${tracks} needs ${pos + 8 + length} bytes, the file has ${bytes.length}`);
    }
    const id = tag(pos);
    if (id === "MTrk") {
      const before = stats.notes;
      scanTrack(bytes, pos + 8, pos + 8 + length, t + 1, stats, fail);
      if (stats.notes > before) stats.tracksWithNotes++;
      kept.push(bytes.subarray(pos, pos + 8 + length));
      t++;
    } else if (!/^[A-Za-z0-9]{4}$/.test(id)) {
      fail(`track ${t + 1} is not where the chunk lengths say (a chunk length is wrong, or the file is damaged)`);
    }
    pos += 8 + length;
  }
  if (stats.notes > READ_LIMITS.maxMidiNotes) fail(`the MIDI file has ${stats.notes} notes; Tutti reads at most ${READ_LIMITS.maxMidiNotes}`);
  if (stats.tracksWithNotes > READ_LIMITS.maxParts) {
    fail(`the MIDI file has ${stats.tracksWithNotes} tracks with notes; Tutti reads at most ${READ_LIMITS.maxParts} parts`);
  }
  const beats = stats.lastTick / division;
  if (beats > READ_LIMITS.maxMidiBeats) {
    fail(`the MIDI file's notes run to beat ${Math.round(beats)}; Tutti reads at most ${READ_LIMITS.maxMidiBeats} beats (quarter notes)`);
  }
  return concatBytes(kept);
}

/** The lengths midi-file insists on for each meta event it decodes (it throws on any other). */
const META_LENGTHS: Readonly<Record<number, readonly number[]>> = {
  0x00: [2], 0x20: [1], 0x21: [1], 0x2f: [0], 0x51: [3], 0x54: [5], 0x58: [2, 4], 0x59: [2],
};

/** Text events longer than this are refused (midi-file decodes them onto the call stack). */
const MAX_TEXT_EVENT = 65536;

/** One track chunk's events, each checked against the chunk's end; counts its notes and the last note's tick into `stats`. */
function scanTrack(
  bytes: Uint8Array,
  start: number,
  end: number,
  n: number,
  stats: { notes: number; lastTick: number },
  fail: (why: string) => never,
): void {
  let p = start;
  let running = 0;
  let tick = 0;
  const need = (k: number): void => {
    if (p + k > end) fail(`track ${n}: an event runs past the end of the track's chunk (its length is wrong, or the file is damaged)`);
  };
  const varint = (what: string): number => {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      need(1);
      const b = bytes[p++]!;
      v = v * 128 + (b & 0x7f);
      if (!(b & 0x80)) return v;
    }
    return fail(`track ${n}: a ${what} longer than 4 bytes at byte ${p}`);
  };
  while (p < end) {
    tick += varint("delta time");
    need(1);
    let status = bytes[p]!;
    if (status < 0x80) {
      if (!running) fail(`track ${n}: running status before any status byte (byte ${p})`);
      status = running;
    } else p++;
    if (status < 0xf0) {
      running = status;
      const kind = status >> 4;
      const length = kind === 0xc || kind === 0xd ? 1 : 2;
      need(length);
      for (let k = 0; k < length; k++) {
        if (bytes[p + k]! > 0x7f) fail(`track ${n}: a data byte above 127 (${bytes[p + k]}) at byte ${p + k}`);
      }
      if (kind === 0x9 || kind === 0x8) {
        if (kind === 0x9 && bytes[p + 1]! > 0) stats.notes++;
        if (tick > stats.lastTick) stats.lastTick = tick;
      }
      p += length;
    } else if (status === 0xff) {
      need(1);
      const type = bytes[p++]!;
      const length = varint("meta event length");
      need(length);
      const allowed = META_LENGTHS[type];
      if (allowed && !allowed.includes(length)) fail(`track ${n}: a meta event 0x${type.toString(16).padStart(2, "0")} of ${length} bytes, which must be ${allowed.join(" or ")}`);
      if (type >= 0x01 && type <= 0x0f && length > MAX_TEXT_EVENT) fail(`track ${n} has a text event of ${length} bytes; Tutti reads at most ${MAX_TEXT_EVENT}`);
      p += length;
    } else if (status === 0xf0 || status === 0xf7) {
      const length = varint("system exclusive length");
      need(length);
      p += length;
    } else {
      fail(`track ${n}: the status byte 0x${status.toString(16).toUpperCase()} at byte ${p - 1}, which a MIDI file cannot hold`);
    }
  }
}

/** Byte helpers shared by the readers, the writers, the hostile-input generator and the fuzz tests. */

/**
 * The parts one after another in one array.
 * @example concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])]) // Uint8Array [1, 2, 3]
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The most `utf8Bytes` reserves for one text: 1 GiB, twenty times the MusicXML of a 3,000-measure
 * symphony-orchestra score (48 MB). Only what is written takes memory.
 */
const MAX_BYTES = 1 << 30;

/**
 * What `utf8Bytes` adds to its buffer when a piece does not fit: a little at a time, since V8
 * fills what a buffer grows by with zeros, and so makes all of it take memory at once.
 */
const GROWTH = 1 << 18;

/**
 * The UTF-8 bytes of a text that `write` hands over in pieces, each encoded as it comes, so that
 * the text is never held whole as a string beside its bytes (a long score's MusicXML is tens of
 * megabytes), and the bytes are never copied: they go into a resizable buffer (ES2024), whose
 * memory is reserved and used as it fills. An engine without one (it ignores `maxByteLength`)
 * gets the pieces encoded in chunks and joined. The same bytes as `new TextEncoder().encode` of
 * the pieces joined.
 * @example utf8Bytes((emit) => { emit("<a>"); emit("é</a>"); }) // the 9 bytes of "<a>é</a>"
 */
export function utf8Bytes(write: (emit: (text: string) => void) => void): Uint8Array {
  const buffer = new ArrayBuffer(0, { maxByteLength: MAX_BYTES });
  if (!buffer.resizable) return concatBytes(chunked(write));
  const encoder = new TextEncoder();
  let used = 0;
  write((text) => {
    // A UTF-16 unit takes at most three bytes of UTF-8.
    const room = used + 3 * text.length;
    if (room > buffer.byteLength) buffer.resize(Math.min(MAX_BYTES, room + GROWTH));
    used += encoder.encodeInto(text, new Uint8Array(buffer, used)).written;
  });
  buffer.resize(used);
  return new Uint8Array(buffer, 0, used);
}

/** The size of the chunks `chunked` encodes into. */
const CHUNK = 1 << 16;

/** The pieces `write` hands over, encoded into chunks of `CHUNK` bytes. */
function chunked(write: (emit: (text: string) => void) => void): Uint8Array[] {
  const encoder = new TextEncoder();
  const full: Uint8Array[] = [];
  let chunk = new Uint8Array(CHUNK);
  let used = 0;
  write((text) => {
    let rest = text;
    for (;;) {
      // encodeInto never writes part of a character: what does not fit goes to a new chunk.
      const { read, written } = encoder.encodeInto(rest, chunk.subarray(used));
      used += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      full.push(chunk.subarray(0, used));
      chunk = new Uint8Array(CHUNK);
      used = 0;
    }
  });
  full.push(chunk.subarray(0, used));
  return full;
}

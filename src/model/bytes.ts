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

/** The size of the pieces `utf8Bytes` encodes into. */
const CHUNK = 1 << 16;

/**
 * The UTF-8 bytes of a text that `write` hands over in pieces, each encoded as it comes: the
 * text is never held whole as a string beside its bytes (a long score's MusicXML is tens of
 * megabytes). The same bytes as `new TextEncoder().encode` of the pieces joined.
 * @example utf8Bytes((emit) => { emit("<a>"); emit("é</a>"); }) // the 9 bytes of "<a>é</a>"
 */
export function utf8Bytes(write: (emit: (text: string) => void) => void): Uint8Array {
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
  return concatBytes(full);
}

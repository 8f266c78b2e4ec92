/**
 * Errors for people: a code a program can test, and a message a person can act on.
 * The CLI prints `message` on one line; it never shows a stack trace unless asked (`--debug`).
 */
export type ErrorCode =
  | "FILE_NOT_FOUND"
  | "UNREADABLE"
  | "BAD_XML"
  | "BAD_MUSICXML"
  | "BAD_MXL"
  | "BAD_MIDI"
  | "EMPTY_SCORE"
  | "UNSUPPORTED"
  | "UNKNOWN_FORMAT"
  | "UNKNOWN_INSTRUMENT"
  | "UNKNOWN_ENSEMBLE"
  | "BAD_DATA"
  | "BAD_OPTION"
  | "WRITE_FAILED"
  /** A score Tutti made that notation cannot show (a bug): see `assertNotation`. */
  | "BAD_NOTATION";

export class TuttiError extends Error {
  readonly code: ErrorCode;
  /** The file the problem is in, when there is one. */
  readonly file?: string;

  constructor(code: ErrorCode, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = "TuttiError";
    this.code = code;
    if (file !== undefined) this.file = file;
  }
}

/**
 * At most `n` characters of something a file said, on one line, to quote in a message.
 * @example clip("a\n  b") // "a b"
 */
export function clip(s: string, n = 40): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

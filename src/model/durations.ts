/**
 * Notated values (half, dotted quarter, triplet eighth) and the exact durations they stand for.
 */
import { div, eq, type Fraction, frac, mul, sub } from "./fraction.js";
import type { NotatedValue, NoteType, TupletRatio } from "./score.js";
import { pushTo } from "../util/group.js";

/** Longest first. */
export const NOTE_TYPES: readonly NoteType[] = [
  "maxima", "long", "breve", "whole", "half", "quarter", "eighth", "16th", "32nd", "64th", "128th", "256th", "512th", "1024th",
];

/** Duration of an undotted note type, in whole notes (a quarter is 1/4). */
export function typeLength(type: NoteType): Fraction {
  return TYPE_LENGTH.get(type) ?? lengthOf(type);
}

function lengthOf(type: NoteType): Fraction {
  const i = NOTE_TYPES.indexOf(type) - 3; // whole = 0
  return i <= 0 ? frac(2 ** -i) : frac(1, 2 ** i);
}

const TYPE_LENGTH = new Map(NOTE_TYPES.map((t) => [t, lengthOf(t)]));

/** Dots the tables below hold; more are computed each time. */
const TABLE_DOTS = 4;

/** `durationOfType(type, dots)` without a tuplet, by type and then dots (all values are frozen). */
const PLAIN = new Map(NOTE_TYPES.map((t) => [t, Array.from({ length: TABLE_DOTS + 1 }, (_, dots) => dottedOf(t, dots))]));

/** The (type, dots) of each plain duration, in the order `notatedOf` tries them: by type, then by dots. */
const BY_DURATION = new Map<string, { readonly type: NoteType; readonly dots: number }[]>();
for (const type of NOTE_TYPES) {
  PLAIN.get(type)!.forEach((d, dots) => {
    pushTo(BY_DURATION, `${d.n}/${d.d}`, { type, dots });
  });
}

function dottedOf(type: NoteType, dots: number): Fraction {
  // A value with n dots lasts (2 - 1/2^n) times its type.
  return mul(typeLength(type), frac(2 ** (dots + 1) - 1, 2 ** dots));
}

/**
 * The sounding duration of a notated value.
 * @example durationOfType("eighth", 0, { actual: 3, normal: 2 }) // 1/12
 */
export function durationOfType(type: NoteType, dots: number, tuplet?: TupletRatio): Fraction {
  let d = PLAIN.get(type)?.[dots] ?? dottedOf(type, dots);
  if (tuplet) d = mul(d, frac(tuplet.normal, tuplet.actual));
  return d;
}

/**
 * The notated value (type and dots, up to `maxDots`) that has exactly this duration, if any.
 * @example notatedOf(frac(3, 8)) // { type: "quarter", dots: 1 }
 */
export function notatedOf(duration: Fraction, tuplet?: TupletRatio, maxDots = 3): NotatedValue | undefined {
  const plain = tuplet ? mul(duration, frac(tuplet.actual, tuplet.normal)) : duration;
  // The tables answer as the search below would; the search remains for more dots than they hold.
  if (maxDots <= TABLE_DOTS) {
    const found = BY_DURATION.get(`${plain.n}/${plain.d}`)?.find((v) => v.dots <= maxDots);
    return found ? { type: found.type, dots: found.dots } : undefined;
  }
  for (const type of NOTE_TYPES) {
    for (let dots = 0; dots <= maxDots; dots++) {
      if (eq(durationOfType(type, dots), plain)) return { type, dots };
    }
  }
  return undefined;
}

/**
 * Splits a duration into notatable values, longest first (to be tied together).
 * @example splitNotatable(frac(5, 8)) // [1/2, 1/8]
 */
export function splitNotatable(duration: Fraction, maxDots = 1): Fraction[] {
  const out: Fraction[] = [];
  let rest = duration;
  for (let guard = 0; rest.n > 0 && guard < 64; guard++) {
    if (notatedOf(rest, undefined, maxDots)) {
      out.push(rest);
      break;
    }
    // The largest power-of-two value (with dots) that fits.
    let piece: Fraction | undefined;
    for (const type of NOTE_TYPES.slice(2)) {
      for (let dots = maxDots; dots >= 0; dots--) {
        const d = durationOfType(type, dots);
        if (sub(rest, d).n >= 0) {
          piece = d;
          break;
        }
      }
      if (piece) break;
    }
    if (!piece) break;
    out.push(piece);
    rest = sub(rest, piece);
  }
  return out;
}

/** How many times `unit` goes into `span` (exact division). */
export function ratio(span: Fraction, unit: Fraction): Fraction {
  return div(span, unit);
}

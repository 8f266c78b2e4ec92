/**
 * Exact rational numbers for musical time.
 *
 * A `Fraction` is an immutable, always-reduced pair of safe integers with a positive
 * denominator. Time in Tutti is measured in whole notes: a quarter note is `1/4`,
 * a triplet eighth `1/12`. Comparison is by cross-multiplication; there is no cached float.
 */
export interface Fraction {
  readonly n: number;
  readonly d: number;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}

export function lcm(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return Math.abs((a / gcd(a, b)) * b);
}

/**
 * A fraction as `frac` makes it: plain readonly data to its readers. A class of its own only so
 * that V8 gives fractions a hidden class that no `{ n, d }` literal elsewhere shares. V8 stores a
 * field as a boxed number in every object of a hidden class once one object has had a number
 * there that is not a small integer (a -0 from `-x.n`, an integer a division left as a double):
 * a fraction then takes 72 bytes instead of 40, and two more allocations.
 *
 * Not frozen: `readonly` keeps TypeScript from changing one, and `Object.freeze` made every
 * fraction four times as slow to make (an arrangement makes millions of them, some 8 % of its
 * time). The fractions the module shares (`ZERO`, `ONE`) are frozen.
 */
class Reduced implements Fraction {
  readonly n: number;
  readonly d: number;
  constructor(n: number, d: number) {
    this.n = n;
    this.d = d;
  }
}

/** A whole number in the form V8 keeps small integers in (so -0 becomes 0); larger ones as they are. */
const small = (x: number): number => ((x | 0) === x ? x | 0 : x);

/**
 * Makes a reduced fraction.
 * @example frac(2, 8) // { n: 1, d: 4 }
 */
export function frac(n: number, d = 1): Fraction {
  if (!Number.isInteger(n) || !Number.isInteger(d)) throw new RangeError(`fraction needs integers, got ${n}/${d}`);
  if (d === 0) throw new RangeError("fraction with zero denominator");
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1;
  const rn = n / g;
  const rd = d / g;
  if (!Number.isSafeInteger(rn) || !Number.isSafeInteger(rd)) throw new RangeError(`fraction overflow: ${n}/${d}`);
  return new Reduced(small(rn), small(rd));
}

export const ZERO: Fraction = Object.freeze(frac(0));
export const ONE: Fraction = Object.freeze(frac(1));

export function add(a: Fraction, b: Fraction): Fraction {
  // Adding nothing to a reduced fraction makes no new one (the commonest sums start at 0).
  if (b.n === 0 && a instanceof Reduced) return a;
  if (a.n === 0 && b instanceof Reduced) return b;
  const g = gcd(a.d, b.d);
  return frac(a.n * (b.d / g) + b.n * (a.d / g), (a.d / g) * b.d);
}

export function sub(a: Fraction, b: Fraction): Fraction {
  return add(a, { n: -b.n, d: b.d });
}

export function mul(a: Fraction, b: Fraction): Fraction {
  const g1 = gcd(a.n, b.d) || 1;
  const g2 = gcd(b.n, a.d) || 1;
  return frac((a.n / g1) * (b.n / g2), (a.d / g2) * (b.d / g1));
}

export function div(a: Fraction, b: Fraction): Fraction {
  if (b.n === 0) throw new RangeError("division by zero fraction");
  return mul(a, { n: b.d, d: b.n });
}

/** -1, 0 or 1. */
export function cmp(a: Fraction, b: Fraction): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * Whether `a < b + c`, without making the sum (note ends are compared millions of times in an
 * arrangement); exact, through the sum where the cross products would pass 2^53.
 * @example ltSum(frac(1, 2), frac(1, 4), frac(1, 3)) // true: 1/2 < 7/12
 */
export function ltSum(a: Fraction, b: Fraction, c: Fraction): boolean {
  const d = b.d * c.d;
  const left = a.n * d;
  const bc = b.n * c.d;
  const cb = c.n * b.d;
  const right = (bc + cb) * a.d;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(bc) && Number.isSafeInteger(cb) && Number.isSafeInteger(right)) return left < right;
  return lt(a, add(b, c));
}

export const eq = (a: Fraction, b: Fraction): boolean => a.n === b.n && a.d === b.d;
export const lt = (a: Fraction, b: Fraction): boolean => cmp(a, b) < 0;
export const le = (a: Fraction, b: Fraction): boolean => cmp(a, b) <= 0;
export const gt = (a: Fraction, b: Fraction): boolean => cmp(a, b) > 0;
export const ge = (a: Fraction, b: Fraction): boolean => cmp(a, b) >= 0;
export const isZero = (a: Fraction): boolean => a.n === 0;
export const min = (a: Fraction, b: Fraction): Fraction => (le(a, b) ? a : b);
export const max = (a: Fraction, b: Fraction): Fraction => (ge(a, b) ? a : b);

/** Sums any number of fractions. */
export function sum(xs: Iterable<Fraction>): Fraction {
  let s = ZERO;
  for (const x of xs) s = add(s, x);
  return s;
}

/** "3/8", or "2" for whole numbers. */
export function toString(a: Fraction): string {
  return a.d === 1 ? String(a.n) : `${a.n}/${a.d}`;
}

/** Parses "3/8", "2" or "-1/4". Returns undefined for anything else. */
export function parse(s: string): Fraction | undefined {
  const m = /^\s*(-?\d+)(?:\s*\/\s*(\d+))?\s*$/.exec(s);
  if (!m) return undefined;
  const d = m[2] === undefined ? 1 : Number(m[2]);
  return d === 0 ? undefined : frac(Number(m[1]), d);
}

/** Only for display and for MIDI seconds; never compare or accumulate with it. */
export function toNumber(a: Fraction): number {
  return a.n / a.d;
}

/**
 * `a − b` as a number, the same double as `toNumber(sub(a, b))` without making the fraction (the
 * separator and the costs take millions of such gaps): a quotient of exact integers rounds to the
 * same double whether or not it is reduced. Through the fraction where a product would pass 2^53.
 * @example differenceOf(frac(1, 2), frac(1, 3)) // 0.1666…
 */
export function differenceOf(a: Fraction, b: Fraction): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  const d = a.d * b.d;
  if (Number.isSafeInteger(l) && Number.isSafeInteger(r) && Number.isSafeInteger(l - r) && Number.isSafeInteger(d)) return (l - r) / d;
  return toNumber(sub(a, b));
}

/**
 * The nearest fraction with the given denominator: how ticks and decimal durations become time.
 * @example fromNumber(0.333333, 12) // 1/3 (= 4/12)
 */
export function fromNumber(x: number, denominator: number): Fraction {
  return frac(Math.round(x * denominator), denominator);
}

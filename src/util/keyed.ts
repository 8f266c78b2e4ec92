/**
 * Maps and sets keyed by a tuple of numbers and strings ([line, phrase], [staff, voice, key
 * number]): the key's shape is a type the compiler checks, instead of a template string spelled
 * out again wherever the map is read.
 */

type Key = readonly (number | string)[];

// A separator no part of a key holds (numbers and the strings Tutti keys on: voices, time keys).
const SEPARATOR = "\u0001";
const text = (key: Key): string => key.join(SEPARATOR);

/**
 * A map from tuples to values, equal tuples meaning the same entry.
 * @example const m = new TupleMap<[line: number, phrase: number], string>(); m.set([1, 2], "melody"); m.get([1, 2]) // "melody"
 */
export class TupleMap<K extends Key, V> {
  private readonly map = new Map<string, V>();

  constructor(entries: Iterable<readonly [K, V]> = []) {
    for (const [k, v] of entries) this.set(k, v);
  }

  get(key: K): V | undefined {
    return this.map.get(text(key));
  }

  has(key: K): boolean {
    return this.map.has(text(key));
  }

  set(key: K, value: V): this {
    this.map.set(text(key), value);
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(text(key));
  }

  get size(): number {
    return this.map.size;
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }
}

/**
 * A set of tuples, equal tuples meaning the same member.
 * @example const s = new TupleSet<[number, number]>(); s.add([1, 2]); s.has([1, 2]) // true
 */
export class TupleSet<K extends Key> {
  private readonly set = new Set<string>();

  constructor(members: Iterable<K> = []) {
    for (const m of members) this.add(m);
  }

  add(key: K): this {
    this.set.add(text(key));
    return this;
  }

  has(key: K): boolean {
    return this.set.has(text(key));
  }

  delete(key: K): boolean {
    return this.set.delete(text(key));
  }

  get size(): number {
    return this.set.size;
  }
}

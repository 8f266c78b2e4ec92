/** Lists by key: the grouping the stages do wherever they gather items by measure, voice or time. */

/**
 * Adds `value` to the list at `key`, starting the list if there is none.
 * @example const m = new Map<string, number[]>(); pushTo(m, "a", 1); pushTo(m, "a", 2); m.get("a") // [1, 2]
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Items grouped by a key: each group in the order given, the groups in the order of their first item.
 * @example groupBy([1, 2, 3, 4], (n) => n % 2) // Map { 1 => [1, 3], 0 => [2, 4] }
 */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) pushTo(map, key(item), item);
  return map;
}

/**
 * A Map kept in insertion order whose oldest entries are evicted. A fresh `for…of` from the front
 * walks every deleted slot V8 still holds (until it rehashes): evicting one entry per insert that
 * way costs O(entries) and a million-task run slowed to a fifth. One live iterator remembers where
 * the oldest is, so each eviction is O(1).
 */
export class OldestFirstMap<V> {
  readonly #map = new Map<number, V>();
  #front: MapIterator<[number, V]> = this.#map.entries();

  get size(): number {
    return this.#map.size;
  }

  get(key: number): V | undefined {
    return this.#map.get(key);
  }

  has(key: number): boolean {
    return this.#map.has(key);
  }

  /** Sets `key` as the newest entry (an existing one moves to the back). */
  set(key: number, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
  }

  delete(key: number): boolean {
    return this.#map.delete(key);
  }

  /** Entries oldest first (for a scan; do not set or delete while iterating). */
  entries(): MapIterator<[number, V]> {
    return this.#map.entries();
  }

  /** Removes and returns the oldest entry. */
  shift(): [number, V] | undefined {
    let next = this.#front.next();
    if (next.done) {
      // A live iterator that reached the end stays done: start again from the front.
      this.#front = this.#map.entries();
      next = this.#front.next();
      if (next.done) return undefined;
    }
    this.#map.delete(next.value[0]);
    return next.value;
  }
}

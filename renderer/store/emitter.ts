// The smallest external store: a version number and listeners, for useSyncExternalStore.
// Stores mutate their own data, then bump() once; React reads derived slices lazily.

export type Listener = () => void;

export class Emitter {
  #listeners = new Set<Listener>();
  #version = 0;

  get version(): number {
    return this.#version;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getVersion = (): number => this.#version;

  bump(): void {
    this.#version++;
    for (const l of [...this.#listeners]) l();
  }
}

/** A single value store (ui flags, job info): set() replaces the value and notifies. */
export class Value<T> extends Emitter {
  #value: T;
  constructor(initial: T) {
    super();
    this.#value = initial;
  }
  get = (): T => this.#value;
  set(next: T): void {
    if (Object.is(next, this.#value)) return;
    this.#value = next;
    this.bump();
  }
  update(fn: (prev: T) => T): void {
    this.set(fn(this.#value));
  }
}

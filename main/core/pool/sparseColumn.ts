type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
export type TypedCtor = new (n: number) => Typed;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
/** Values a chunk keeps in a Map before it becomes a typed array (then the array is smaller). */
const SPARSE_MAX = 2048;

/**
 * One number per seq, in chunks of 65 536 seqs: a chunk where every value is the column's default
 * costs nothing, one with a few other values (a task sampled now and then) holds them in a Map,
 * and one with more than 2 048 becomes a typed array: element size per seq. So a column nobody
 * sets (no task failed) is free, and one every task sets costs its element size per task.
 */
export class SparseColumn {
  readonly #chunks: (Typed | undefined)[] = [];
  readonly #sparse: (Map<number, number> | undefined)[] = [];
  readonly #ctor: TypedCtor;
  readonly #dflt: number;

  constructor(ctor: TypedCtor, dflt: number) {
    this.#ctor = ctor;
    this.#dflt = dflt;
  }

  get(i: number): number {
    const ci = i >>> CHUNK_BITS;
    const c = this.#chunks[ci];
    if (c) return c[i & (CHUNK - 1)];
    return this.#sparse[ci]?.get(i) ?? this.#dflt;
  }

  set(i: number, v: number): void {
    const ci = i >>> CHUNK_BITS;
    const c = this.#chunks[ci];
    if (c) {
      c[i & (CHUNK - 1)] = v;
      return;
    }
    let m = this.#sparse[ci];
    if (Object.is(v, this.#dflt)) {
      m?.delete(i);
      return;
    }
    if (!m) m = this.#sparse[ci] = new Map();
    m.set(i, v);
    if (m.size > SPARSE_MAX) this.#densify(ci, m);
  }

  #densify(ci: number, m: Map<number, number>): void {
    const c = new this.#ctor(CHUNK);
    if (!Object.is(this.#dflt, 0)) c.fill(this.#dflt);
    for (const [i, v] of m) c[i & (CHUNK - 1)] = v;
    this.#chunks[ci] = c;
    this.#sparse[ci] = undefined;
  }

  /** Bytes held by the typed chunks (a Map's values are counted at ~40 bytes each). */
  get bytes(): number {
    let n = 0;
    for (const c of this.#chunks) n += c?.byteLength ?? 0;
    for (const m of this.#sparse) n += (m?.size ?? 0) * 40;
    return n;
  }
}

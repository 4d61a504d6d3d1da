type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
export type TypedCtor = new (n: number) => Typed;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/**
 * One number per seq, in typed chunks of 65 536 that exist only once a value in them differs
 * from the column's default: a column nobody sets (no task failed, none was sampled) costs
 * nothing, and one every task sets costs its element size per task.
 */
export class SparseColumn {
  readonly #chunks: (Typed | undefined)[] = [];
  readonly #ctor: TypedCtor;
  readonly #dflt: number;

  constructor(ctor: TypedCtor, dflt: number) {
    this.#ctor = ctor;
    this.#dflt = dflt;
  }

  get(i: number): number {
    const c = this.#chunks[i >>> CHUNK_BITS];
    return c ? c[i & (CHUNK - 1)] : this.#dflt;
  }

  set(i: number, v: number): void {
    let c = this.#chunks[i >>> CHUNK_BITS];
    if (!c) {
      if (Object.is(v, this.#dflt)) return;
      c = new this.#ctor(CHUNK);
      if (!Object.is(this.#dflt, 0)) c.fill(this.#dflt);
      this.#chunks[i >>> CHUNK_BITS] = c;
    }
    c[i & (CHUNK - 1)] = v;
  }

  /** Bytes held by the chunks. */
  get bytes(): number {
    let n = 0;
    for (const c of this.#chunks) n += c?.byteLength ?? 0;
    return n;
  }
}

/**
 * A sceneIdMap (from ten scenes to a million) as two parallel arrays (keys in file order, values) instead of a
 * million-key object. V8 internalises every key of an object and moves it to a hash table: for a
 * million scenes that was a third of `rosetta plan`, and every later walk of the object cost
 * another 0.4 s. The fast parser makes one for a big sceneIdMap; everything that reads a body
 * either knows it (keysOf/entriesOf, bodyDigest, jsonChunks, the rules) or asks for the object
 * (`toJSON()`: JSON.stringify, canonicalize and the field diff do), which is then built once.
 *
 * Types still say Record<string, string>: a LargeMap stands in for one, read only.
 */
export class LargeMap {
  #object: Record<string, unknown> | undefined;
  #jsonOrder: number[] | null | undefined;

  /**
   * `keys` are unique (the parser checked); neither array is changed afterwards. What the parser
   * knows saves a pass over a million strings: `jsonSafe`, no key or value needs escaping in JSON
   * (so serialisers quote without looking); `ascending`, the keys are in sorted order already.
   */
  constructor(
    readonly keys: readonly string[],
    readonly values: readonly unknown[],
    known: { jsonSafe?: boolean; ascending?: boolean } = {},
  ) {
    // Two booleans rather than the object given: one object less for each of 100,000 small maps.
    this.#jsonSafe = known.jsonSafe === true;
    this.#ascending = known.ascending === true;
  }

  readonly #jsonSafe: boolean;
  readonly #ascending: boolean;

  get jsonSafe(): boolean {
    return this.#jsonSafe;
  }

  /** JSON.stringify for this map's keys and string values: without a look when the parser vouched nothing needs escaping. */
  get quote(): (text: string) => string {
    return this.jsonSafe ? quoteVouched : JSON.stringify;
  }

  get size(): number {
    return this.keys.length;
  }

  /** The plain object, built on first use (JSON.stringify calls this). */
  toJSON(): Record<string, unknown> {
    if (this.#object === undefined) {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < this.keys.length; i++) {
        const key = this.keys[i]!;
        // Own data properties, like yaml's toJS: "__proto__" is a key, never the prototype.
        if (key === '__proto__') Object.defineProperty(object, key, { value: this.values[i], writable: true, enumerable: true, configurable: true });
        else object[key] = this.values[i];
      }
      this.#object = object;
    }
    return this.#object;
  }

  /**
   * Entry positions in the order JSON.stringify and Object.keys give an object's keys: array
   * indexes ("0", "17") first, ascending, then the rest in insertion order. `null`: file order.
   */
  jsonPositions(): readonly number[] | null {
    if (this.#jsonOrder === undefined && !this.keys.some(isArrayIndex)) this.#jsonOrder = null;
    if (this.#jsonOrder === undefined) {
      const indexes: number[] = [];
      const others: number[] = [];
      for (let i = 0; i < this.keys.length; i++) (isArrayIndex(this.keys[i]!) ? indexes : others).push(i);
      indexes.sort((a, b) => Number(this.keys[a]) - Number(this.keys[b]));
      this.#jsonOrder = [...indexes, ...others];
    }
    return this.#jsonOrder;
  }

  /** Entry positions sorted by key in UTF-16 code units (canonical JSON's order); `null` when the file order is that already. */
  sortedPositions(): readonly number[] | null {
    const keys = this.keys;
    if (this.#ascending) return null;
    let sorted = true;
    for (let i = 1; i < keys.length && sorted; i++) if (keys[i - 1]! > keys[i]!) sorted = false;
    if (sorted) return null;
    return keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  }
}

/** A canonical array index: what V8 (and the spec) orders first among an object's keys. */
function isArrayIndex(key: string): boolean {
  return key.length <= 10 && /^(?:0|[1-9][0-9]{0,9})$/.test(key) && Number(key) < 4_294_967_295;
}

function quoteVouched(text: string): string {
  return `"${text}"`;
}

/** No slot. */
const NONE = -1;
/** Positions of a new index (a power of two; the table doubles when half full). */
const FIRST_POSITIONS = 512;

/** The hash {@link SlotIndex} takes for `key`: FNV-1a of its UTF-16 code units, 32 bits. */
export function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return hash | 0;
}

/**
 * Which numbered slot holds a key, for a cache whose entries live in slots (see `SieveCache`): an open
 * addressing hash table with linear probing over typed arrays, at most half full. Each slot's hash is kept,
 * so growing never reads a key again and a probe compares strings only when the hashes agree. A `Map`
 * does the same through a chain of objects, and rereads every key's hash each time it grows: this one
 * touches less memory per lookup and insert, which is most of what a cache miss costs it.
 *
 * The keys themselves stay in the caller's array (`keys[slot]`), read only to confirm a match. The hash
 * is not secret: a cache should insert only keys an attacker cannot choose (the session cache inserts the
 * MACs of seals that verified); lookups of chosen keys only probe.
 */
export class SlotIndex {
  /** Slot + 1 at each position; 0 is an empty position. */
  private positions = new Int32Array(FIRST_POSITIONS);
  private mask = FIRST_POSITIONS - 1;
  /** The hash of the key in each slot. */
  private hashes: Int32Array = new Int32Array(FIRST_POSITIONS / 2);
  private count = 0;

  /** @param keys the key of each slot, as the cache keeps them. */
  constructor(private readonly keys: readonly (string | undefined)[]) {}

  /** Number of keys indexed. */
  get size(): number {
    return this.count;
  }

  /** The slot of `key` (whose hash is `hash`), or -1. */
  find(key: string, hash: number): number {
    const { positions, mask, hashes, keys } = this;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = positions[at] as number;
      if (entry === 0) return NONE;
      if (hashes[entry - 1] === hash && keys[entry - 1] === key) return entry - 1;
    }
  }

  /** Indexes `slot`, whose key (not indexed yet) has `hash`. */
  add(slot: number, hash: number): void {
    if (slot >= this.hashes.length) this.hashes = widened(this.hashes, new Int32Array(Math.max(2 * this.hashes.length, slot + 1)));
    this.hashes[slot] = hash;
    if (2 * ++this.count > this.positions.length) this.grow();
    this.place(slot + 1, this.positions, this.mask);
  }

  /** Forgets `slot`, which is indexed; the entries after it in its run move back so every probe still finds them. */
  remove(slot: number): void {
    const { positions, mask, hashes } = this;
    let hole = (hashes[slot] as number) & mask;
    while (positions[hole] !== slot + 1) hole = (hole + 1) & mask;
    positions[hole] = 0;
    this.count--;
    for (let at = (hole + 1) & mask; positions[at] !== 0; at = (at + 1) & mask) {
      const entry = positions[at] as number;
      const home = (hashes[entry - 1] as number) & mask;
      // The entry may fill the hole when the hole lies on its probe path, from its home position to `at`.
      if (((at - home) & mask) >= ((at - hole) & mask)) {
        positions[hole] = entry;
        positions[at] = 0;
        hole = at;
      }
    }
  }

  /** Doubles the table, placing every entry again from its kept hash. */
  private grow(): void {
    const old = this.positions;
    this.positions = new Int32Array(2 * old.length);
    this.mask = this.positions.length - 1;
    for (const entry of old) if (entry !== 0) this.place(entry, this.positions, this.mask);
  }

  /** Puts `entry` (slot + 1) at the first empty position of its probe path. */
  private place(entry: number, positions: Int32Array, mask: number): void {
    let at = (this.hashes[entry - 1] as number) & mask;
    while (positions[at] !== 0) at = (at + 1) & mask;
    positions[at] = entry;
  }
}

/** `made` (a longer array) holding `old`'s numbers first. */
export function widened<A extends Float64Array | Int32Array | Uint8Array>(old: A, made: A): A {
  made.set(old);
  return made;
}

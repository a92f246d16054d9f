import { describe, expect, it } from 'vitest';
import { hashOf, SlotIndex } from '../../src/core/cache/SlotIndex.js';

/** A deterministic pseudo-random sequence (xorshift32), so a failure replays. */
function randomSequence(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

describe('SlotIndex', () => {
  it('finds what a Map would, through adds, removes and growth, with hashes made to collide and wrap around', () => {
    const random = randomSequence(17);
    const keys: (string | undefined)[] = [];
    const index = new SlotIndex(keys);
    const model = new Map<string, number>();
    // Few distinct hashes, some at the table's end, so runs are long and cross position 0; removals then
    // move entries back across the wrap.
    const hashes = [0, 1, 2, 7, 511, 510, -1, 1_023, 4_095, 123_456];
    const hashOfKey = (key: string) => hashes[Number(key.slice(1)) % hashes.length] as number;
    const free: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      const key = `k${Math.floor(random() * 3_000)}`;
      const slot = model.get(key);
      expect(index.find(key, hashOfKey(key))).toBe(slot ?? -1);
      if (slot !== undefined && random() < 0.6) {
        index.remove(slot);
        keys[slot] = undefined;
        model.delete(key);
        free.push(slot);
      } else if (slot === undefined) {
        const made = free.pop() ?? keys.length;
        keys[made] = key;
        index.add(made, hashOfKey(key));
        model.set(key, made);
      }
      expect(index.size).toBe(model.size);
    }
    expect(model.size).toBeGreaterThan(500); // the table grew past its first size
    for (const [key, slot] of model) expect(index.find(key, hashOfKey(key))).toBe(slot);
    expect(index.find('absent', hashOfKey('k1'))).toBe(-1);
  });

  it('tells keys apart by the key itself when their hashes are equal', () => {
    const keys = ['a', 'b'];
    const index = new SlotIndex(keys);
    index.add(0, 5);
    index.add(1, 5);
    expect([index.find('a', 5), index.find('b', 5), index.find('c', 5), index.find('a', 6)]).toEqual([0, 1, -1, -1]);
  });

  it('hashes strings as FNV-1a over their code units', () => {
    expect([hashOf(''), hashOf('a'), hashOf('foobar')]).toEqual([0x811c9dc5 | 0, 0xe40c292c | 0, 0xbf9cf968 | 0]);
  });
});

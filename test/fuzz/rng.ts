/** mulberry32: a small seeded PRNG so every fuzz run is reproducible from its seed. */
export function createRng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const string = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
  return { next, int, pick, string };
}

export type Rng = ReturnType<typeof createRng>;

export const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const HEX = '0123456789abcdef';

import type { HeadersBag } from './types.js';

/** Merges header bags; values of the same name (case-insensitive) become an array, never a joined string. */
export function mergeHeaders(...bags: (HeadersBag | undefined)[]): HeadersBag {
  const out: HeadersBag = {};
  for (const bag of bags) {
    for (const [name, value] of Object.entries(bag ?? {})) {
      const existing = Object.keys(out).find((key) => key.toLowerCase() === name.toLowerCase());
      if (existing === undefined) out[name] = value;
      else out[existing] = [...toArray(out[existing] as string | string[]), ...toArray(value)];
    }
  }
  return out;
}

/** A header value as a list. */
export function toArray(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

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

/** Cache headers for any response that depends on, or sets, a session cookie. */
export const PRIVATE_CACHE_HEADERS: Readonly<Record<'Cache-Control' | 'Vary', string>> = Object.freeze({
  'Cache-Control': 'private, no-store',
  Vary: 'Cookie',
});

/**
 * A `Vary` value holding the tokens of both values, each once (case-insensitive), existing ones first.
 * `*` wins over everything.
 */
export function mergeVary(existing: string | null | undefined, added: string): string {
  // Nothing to merge with one token (the common `Vary: Cookie` on a response without a Vary yet).
  if (!existing && !added.includes(',')) return added.trim();
  const tokens: string[] = [];
  for (const token of `${existing ?? ''},${added}`.split(',')) {
    const trimmed = token.trim();
    if (trimmed && !tokens.some((t) => t.toLowerCase() === trimmed.toLowerCase())) tokens.push(trimmed);
  }
  return tokens.includes('*') ? '*' : tokens.join(', ');
}

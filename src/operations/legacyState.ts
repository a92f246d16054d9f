import { decodeBase64url, encodeBase64url } from '../core/encoding/base64url.js';

/**
 * Encodes `state` in the 0.3.4 / authkit-nextjs 2.x format: `<base64url({ returnPathname })>.<custom>`.
 * The internal part is always present when there is a custom state, so a custom state containing `.`
 * round-trips. UTF-8 safe (0.3.4 threw on non-Latin-1 paths).
 */
export function encodeLegacyState(returnPathname: string | undefined, customState: string | undefined): string | undefined {
  const internal =
    returnPathname !== undefined || customState !== undefined
      ? encodeBase64url(JSON.stringify(returnPathname ? { returnPathname } : {}))
      : undefined;
  if (internal === undefined) return undefined;
  return customState !== undefined ? `${internal}.${customState}` : returnPathname ? internal : undefined;
}

/** Decodes {@link encodeLegacyState}; anything else is taken as a plain custom state. Never throws. */
export function decodeLegacyState(state: string | undefined | null): { returnPathname?: string; customState?: string } {
  if (!state) return {};
  const dot = state.indexOf('.');
  const head = dot === -1 ? state : state.slice(0, dot);
  const internal = parseInternal(head);
  if (internal === undefined) return { customState: state };
  const out: { returnPathname?: string; customState?: string } = {};
  if (typeof internal.returnPathname === 'string') out.returnPathname = internal.returnPathname;
  if (dot !== -1) out.customState = state.slice(dot + 1);
  else if (out.returnPathname === undefined) out.customState = state;
  return out;
}

function parseInternal(value: string): { returnPathname?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(decodeBase64url(value));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

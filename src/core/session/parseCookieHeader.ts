import { parse } from 'cookie-es';

/**
 * Parses a `Cookie` request header into a name → value map, URL-decoding values (a value that is not
 * valid percent-encoding is kept as sent). Never throws; an absent header gives an empty map.
 */
export function parseCookieHeader(header: string | null | undefined): Record<string, string> {
  if (!header) return {};
  const parsed = parse(header) as Record<string, string | undefined>;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (name !== '' && value !== undefined) out[name] = value;
  }
  return out;
}

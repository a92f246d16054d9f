import type { HeadersBag } from '../../src/core/session/types.js';

/** Every `Set-Cookie` line of a headers bag, a `Headers` or a `Response` (a bag may hold a string or an array). */
export function setCookieLines(source: HeadersBag | Headers | Response | undefined): string[] {
  if (!source) return [];
  if (source instanceof Response) return source.headers.getSetCookie();
  if (source instanceof Headers) return source.getSetCookie();
  const entry = Object.entries(source).find(([name]) => name.toLowerCase() === 'set-cookie');
  if (!entry) return [];
  return Array.isArray(entry[1]) ? entry[1] : [entry[1]];
}

/** The name of the cookie a `Set-Cookie` line sets. */
export function cookieNameOf(line: string): string {
  return line.slice(0, line.indexOf('='));
}

/** The one `Set-Cookie` line for cookie `name` (throws when there is none or several). */
export function setCookieFor(source: HeadersBag | Headers | Response | undefined, name = 'wos-session'): string {
  const lines = setCookieLines(source).filter((line) => cookieNameOf(line) === name);
  if (lines.length !== 1) throw new Error(`expected one Set-Cookie for ${name}, got ${lines.length}`);
  return lines[0] as string;
}

/** True when a `Set-Cookie` line deletes its cookie. */
export function isDeletion(line: string): boolean {
  return /;\s*max-age=0(;|$)/i.test(line);
}

/** Lines other than the one for `name`: they may only delete that cookie's chunk parts (`name.1`, `name.2`, …). */
export function otherLinesAreChunkDeletions(source: HeadersBag | Headers | Response | undefined, name = 'wos-session'): boolean {
  return setCookieLines(source)
    .filter((line) => cookieNameOf(line) !== name)
    .every((line) => cookieNameOf(line).startsWith(`${name}.`) && isDeletion(line));
}

/** The URL-decoded value a `Set-Cookie` line sets. */
export function cookieValue(line: string): string {
  const pair = line.split(';')[0] as string;
  return decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
}

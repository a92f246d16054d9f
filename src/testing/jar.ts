import { parseSetCookie } from 'cookie-es';
import { systemClock } from '../core/clock.js';

/** Browsers keep at most this many bytes per `Set-Cookie` line. */
export const MAX_SET_COOKIE_BYTES = 4096;

const encoder = new TextEncoder();

/** The name a `Set-Cookie` line sets. */
export function cookieName(line: string): string {
  return line.slice(0, line.indexOf('=')).trim();
}

/** True when a `Set-Cookie` line deletes its cookie (`Max-Age` ≤ 0 or an `Expires` in the past). */
export function isDeletion(line: string): boolean {
  const cookie = parseSetCookie(line);
  if (!cookie) return false;
  return (cookie.maxAge !== undefined && cookie.maxAge <= 0) || (cookie.expires !== undefined && cookie.expires.getTime() <= systemClock());
}

/** True when a value holds several cookies joined with commas (`a=1; Path=/, b=2`), which browsers read as one. */
export function isCommaJoined(line: string): boolean {
  return /,\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+=/.test(line);
}

/** UTF-8 length. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/**
 * A minimal browser cookie jar for one origin: applies `Set-Cookie` lines in order (set, replace, delete),
 * drops lines over 4096 bytes as browsers do, and renders cookies as sent back.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** Lines dropped for being over 4096 bytes. */
  dropped = 0;

  constructor(initial: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(initial)) this.cookies.set(name, value);
  }

  apply(lines: readonly string[]): this {
    for (const line of lines) {
      if (byteLength(line) > MAX_SET_COOKIE_BYTES) {
        this.dropped += 1;
        continue;
      }
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      if (isDeletion(line)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return this;
  }

  /** Names of the cookies held whose name is `name` or `name.N`. */
  sessionNames(name: string): string[] {
    return [...this.cookies.keys()].filter((key) => key === name || key.startsWith(`${name}.`));
  }

  /** The cookies as a browser sends them: name → URL-encoded value. */
  wire(): Record<string, string> {
    return Object.fromEntries([...this.cookies].map(([name, value]) => [name, encodeURIComponent(value)]));
  }
}

/** A `Cookie` header for wire-encoded cookies. */
export function cookieHeader(wire: Record<string, string>): string {
  return Object.entries(wire)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

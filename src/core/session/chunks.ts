import { AuthKitError } from '../errors.js';
import { serializeCookie } from './serializeCookie.js';
import type { CookieOptions } from './types.js';

/** Browsers keep at most this many bytes per cookie (name, value and attributes of the `Set-Cookie` line). */
export const MAX_SET_COOKIE_BYTES = 4096;
/** Default cap on the number of cookies one session may span. */
export const DEFAULT_MAX_PARTS = 8;
/** A `Cookie` header past this size is refused by common proxies (nginx, ALB: 8 KB). */
export const PROXY_HEADER_LIMIT_BYTES = 8192;

const encoder = new TextEncoder();

/** Byte length of a string as UTF-8. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Name of the `index`-th part of a chunked session (part 0 is the session cookie itself). */
export function partName(name: string, index: number): string {
  return index === 0 ? name : `${name}.${index}`;
}

/** A sealed session is whole when it ends with its version suffix; a chunked session's first part never does. */
export function isWholeSeal(value: string): boolean {
  return value.endsWith('~2');
}

/** What writing a session produces: every `Set-Cookie` line, and how large the session is on the wire. */
export interface CookiePlan {
  lines: string[];
  parts: number;
  /** Bytes the browser will send back in the `Cookie` header for this session. */
  cookieHeaderBytes: number;
}

/**
 * Plans the `Set-Cookie` lines for a sealed session: one cookie when the whole line fits in 4096 bytes,
 * else up to `maxParts` cookies `name`, `name.1`, … that each fit. Parts the new session does not use are
 * deleted (when `deleteStale`), so a browser never reassembles old and new parts.
 * @throws AuthKitError `session_too_large` when more than `maxParts` cookies would be needed.
 */
export function planSessionCookies(
  name: string,
  value: string,
  options: CookieOptions,
  maxParts: number,
  deleteStale: boolean,
): CookiePlan {
  const whole = serializeCookie(name, value, options);
  let values: string[] = [value];
  if (byteLength(whole) > MAX_SET_COOKIE_BYTES) {
    const room = MAX_SET_COOKIE_BYTES - byteLength(serializeCookie(partName(name, Math.max(maxParts, 10)), '', options));
    values = room > 0 ? splitEncoded(value, room) : [];
    if (maxParts <= 1 || values.length === 0 || values.length > maxParts) {
      const parts = values.length || Infinity;
      throw new AuthKitError(
        `Session needs ${parts} cookies of ${MAX_SET_COOKIE_BYTES} bytes; the limit is ${maxParts}`,
        undefined,
        { bytes: byteLength(value), parts, maxParts },
        'session_too_large',
      );
    }
  }
  const lines = values.map((part, index) => serializeCookie(partName(name, index), part, options));
  if (deleteStale) {
    for (let index = values.length; index < maxParts; index++)
      lines.push(serializeCookie(partName(name, index), '', options, { expired: true }));
  }
  const cookieHeaderBytes = values.reduce((n, part, index) => n + byteLength(`${partName(name, index)}=${encodeURIComponent(part)}; `), 0);
  return { lines, parts: values.length, cookieHeaderBytes };
}

/** Deletion lines for the session cookie and every part it may have. */
export function planClearCookies(name: string, options: CookieOptions, maxParts: number): string[] {
  return Array.from({ length: Math.max(1, maxParts) }, (_, index) =>
    serializeCookie(partName(name, index), '', options, { expired: true }),
  );
}

/** Splits a value into pieces whose URL-encoded form is at most `room` bytes, never inside a %XX escape. */
function splitEncoded(value: string, room: number): string[] {
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of value) {
    const width = byteLength(encodeURIComponent(char));
    if (size + width > room) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += width;
  }
  if (current) parts.push(current);
  return parts;
}

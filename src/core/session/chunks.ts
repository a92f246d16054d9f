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

const PART_COUNT = /^~(\d{1,2})~/;

/** The first cookie of a session split over `count` cookies: the count, then the first piece (`~3~Fe26.2*…`). */
export function withPartCount(count: number, firstPiece: string): string {
  return `~${count}~${firstPiece}`;
}

/**
 * Reads the part count recorded in a first cookie: `{ count, firstPiece }`, or `null` when the value records
 * none (a whole seal, or something this library did not write).
 */
export function readPartCount(value: string): { count: number; firstPiece: string } | null {
  const match = PART_COUNT.exec(value);
  if (!match) return null;
  return { count: Number(match[1]), firstPiece: value.slice(match[0].length) };
}

/** Serialises one `Set-Cookie` line (the storage's own serializer). */
export type CookieSerializer = (name: string, value: string, options: CookieOptions, flags?: { expired?: boolean }) => string;

/** What writing a session produces: every `Set-Cookie` line, and how large the session is on the wire. */
export interface CookiePlan {
  lines: string[];
  parts: number;
  /** Bytes the browser will send back in the `Cookie` header for this session. */
  cookieHeaderBytes: number;
}

/**
 * Plans the `Set-Cookie` lines for a sealed session: one cookie when the whole line fits in 4096 bytes, else
 * up to `maxParts` cookies `name`, `name.1`, … that each fit, the first recording how many there are (so a
 * reader never joins a stale or planted part). Deletes only the parts in `carriedParts` (those the request
 * sent) that the new session does not use.
 * @throws AuthKitError `session_too_large` when more than `maxParts` cookies would be needed.
 */
export function planSessionCookies(
  name: string,
  value: string,
  options: CookieOptions,
  maxParts: number,
  carriedParts: readonly number[] = [],
  serialize: CookieSerializer = serializeCookie,
): CookiePlan {
  const whole = serialize(name, value, options);
  let values: string[] = [value];
  if (byteLength(whole) > MAX_SET_COOKIE_BYTES) {
    const marker = withPartCount(Math.max(maxParts, 10), '').length;
    const room = MAX_SET_COOKIE_BYTES - marker - byteLength(serialize(partName(name, Math.max(maxParts, 10)), '', options));
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
    values[0] = withPartCount(values.length, values[0] as string);
  }
  const lines = values.map((part, index) => serialize(partName(name, index), part, options));
  for (const index of carriedParts) {
    if (index >= values.length) lines.push(serialize(partName(name, index), '', options, { expired: true }));
  }
  const cookieHeaderBytes = values.reduce((n, part, index) => n + byteLength(`${partName(name, index)}=${encodeURIComponent(part)}; `), 0);
  return { lines, parts: values.length, cookieHeaderBytes };
}

/** Deletion lines for the session cookie and the parts in `carriedParts` (those the request sent). */
export function planClearCookies(
  name: string,
  options: CookieOptions,
  carriedParts: readonly number[] = [],
  serialize: CookieSerializer = serializeCookie,
): string[] {
  return [0, ...carriedParts.filter((index) => index > 0)].map((index) => serialize(partName(name, index), '', options, { expired: true }));
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

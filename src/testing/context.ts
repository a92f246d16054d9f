import type { AuthKitConfig } from '../core/config/types.js';
import type { HeadersBag } from '../core/session/types.js';
import { byteLength, cookieName, isCommaJoined, isDeletion, MAX_SET_COOKIE_BYTES } from './jar.js';
import type { AdapterUnderTest, ConformanceOptions, HeaderSource, StorageUnderTest } from './types.js';

/** Everything a check needs. */
export interface KitContext<TRequest, TResponse, TService> {
  adapter: AdapterUnderTest<TRequest, TResponse, TService>;
  options: ConformanceOptions<TRequest, TService>;
  config: AuthKitConfig;
  /** Session cookie name. */
  name: string;
  /** Most cookies one session may span. */
  maxParts: number;
}

/** A check that did not pass. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

/** A check that could not run. */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped';
}

/** Fails the running check. */
export function fail(message: string): never {
  throw new CheckFailure(message);
}

/** Fails the running check unless `condition` holds. */
export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

/** One write through the storage: the `Set-Cookie` lines and a reader for other headers. */
export interface Written {
  lines: string[];
  header(name: string): string | null;
  /** True when the storage returned a headers bag instead of writing the response. */
  viaBag: boolean;
  response: unknown;
}

/**
 * Runs `saveSession` (or `clearSession` when `seal` is `null`) on a fresh response and reads what it wrote;
 * `request` is passed on (so the storage deletes the session parts it carries that are no longer used).
 */
export async function write<TRequest, TResponse, TService>(
  ctx: KitContext<TRequest, TResponse, TService>,
  storage: StorageUnderTest<TRequest, TResponse>,
  seal: string | null,
  response?: TResponse,
  request?: TRequest,
): Promise<Written> {
  const target = response ?? (await ctx.adapter.makeResponse());
  const options = request === undefined ? undefined : { request };
  const result = seal === null ? await storage.clearSession(target, options) : await storage.saveSession(target, seal, options);
  const out = result.response ?? target;
  const bagLines = bagSetCookies(result.headers);
  const lines = [...ctx.adapter.readSetCookies(out), ...bagLines];
  return {
    lines,
    viaBag: result.headers !== undefined,
    response: out,
    header: (name) => headerOf(result.headers, name) ?? ctx.adapter.readHeader(out, name) ?? null,
  };
}

/** The `Set-Cookie` values of a headers bag. */
export function bagSetCookies(bag: HeadersBag | undefined): string[] {
  const value = headerEntry(bag, 'set-cookie');
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** One header of a bag or a header source, joined with `, ` when it has several values. */
export function headerOf(source: HeaderSource | HeadersBag | undefined, name: string): string | null {
  if (!source) return null;
  if (typeof (source as Headers).get === 'function' && typeof (source as Headers).forEach === 'function')
    return (source as Headers).get(name);
  const value = headerEntry(source as Record<string, unknown>, name);
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function headerEntry<T>(bag: Record<string, T> | undefined, name: string): T | undefined {
  const key = Object.keys(bag ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (bag as Record<string, T>)[key];
}

/** Fails unless every line is one cookie of at most 4096 bytes. */
export function ensureSeparateLines(lines: string[], what: string): void {
  for (const line of lines) {
    ensure(!isCommaJoined(line), `${what}: a Set-Cookie value holds several cookies joined with commas: ${preview(line)}`);
    ensure(byteLength(line) <= MAX_SET_COOKIE_BYTES, `${what}: a Set-Cookie line is ${byteLength(line)} bytes (> 4096): ${preview(line)}`);
  }
}

/** Fails unless the cache headers mark the response private and varying on `Cookie`. */
export function ensureCacheHeaders(header: (name: string) => string | null | undefined, what: string): void {
  const cacheControl = (header('cache-control') ?? '').toLowerCase();
  ensure(
    cacheControl.includes('private') && cacheControl.includes('no-store'),
    `${what}: Cache-Control is ${JSON.stringify(header('cache-control') ?? null)}, expected "private, no-store"`,
  );
  const vary = (header('vary') ?? '').toLowerCase().split(',');
  ensure(
    vary.some((token) => token.trim() === 'cookie' || token.trim() === '*'),
    `${what}: Vary is ${JSON.stringify(header('vary') ?? null)}, expected it to include Cookie`,
  );
}

/** Lines for the session cookie or its parts. */
export function sessionLines(lines: string[], name: string): string[] {
  return lines.filter((line) => isSessionName(cookieName(line), name));
}

/** True for `name` and `name.N`. */
export function isSessionName(candidate: string, name: string): boolean {
  return candidate === name || new RegExp(`^${escape(name)}\\.\\d+$`).test(candidate);
}

/** Lines that set (not delete) a cookie. */
export function settingLines(lines: string[]): string[] {
  return lines.filter((line) => !isDeletion(line));
}

/** The start of a `Set-Cookie` line, for messages (values are test data, never real secrets). */
export function preview(line: string): string {
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

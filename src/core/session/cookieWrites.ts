import type { AuthKitError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import {
  DEFAULT_MAX_PARTS,
  isWholeSeal,
  partName,
  planClearCookies,
  planSessionCookies,
  PROXY_HEADER_LIMIT_BYTES,
  readPartCount,
  type CookieSerializer,
} from './chunks.js';
import { PRIVATE_CACHE_HEADERS } from './headers.js';
import type { CookieOptions, HeadersBag } from './types.js';

/**
 * One cookie the service wants written, as data: the session (split into parts when large, with the parts
 * `request` carried and no longer uses deleted), its deletion, or any other cookie and its deletion.
 */
export type CookieWrite<TRequest> =
  | { kind: 'session'; value: string; request?: TRequest | undefined }
  | { kind: 'clearSession'; request?: TRequest | undefined }
  | { kind: 'cookie'; name: string; value: string; options: CookieOptions }
  | { kind: 'clearCookie'; name: string; options: CookieOptions };

/** What planning needs of a storage: its session cookie, its hooks, and (when it has one) its cookie reader. */
export interface CookieWriter<TRequest> {
  name: string;
  options: CookieOptions;
  maxParts: number;
  /** Absent for a storage that cannot read a cookie by name: its session is always one cookie. */
  readCookie: ((request: TRequest, name: string) => Promise<string | null>) | undefined;
  /** Serialises one line (the 0.5+ `serializeCookie` hook). */
  serialize: CookieSerializer;
  /** The session cookie's own line (the 0.3.4 `buildSetCookie` hook), so an adapter overriding it writes it as it builds it. */
  sessionLine: (value: string, expired: boolean) => string;
  onEvent: AuthKitEventHandler | undefined;
}

/**
 * The headers that carry `writes`, in order: one `Set-Cookie` line per cookie (an array when several), plus
 * the private cache headers when a session cookie is among them.
 * @throws AuthKitError `session_too_large`, `cookie_invalid`.
 */
export async function planCookieWrites<TRequest>(
  writer: CookieWriter<TRequest>,
  writes: readonly CookieWrite<TRequest>[],
): Promise<HeadersBag> {
  const lines: string[] = [];
  let session = false;
  for (const write of writes) {
    if (write.kind === 'cookie') lines.push(writer.serialize(write.name, write.value, write.options));
    else if (write.kind === 'clearCookie') lines.push(writer.serialize(write.name, '', write.options, { expired: true }));
    else {
      session = true;
      const carried = await carriedParts(writer, write.request);
      if (write.kind === 'session') lines.push(...planSession(writer, write.value, carried));
      else lines.push(...planClearCookies(writer.name, writer.options, carried, sessionSerializer(writer)));
    }
  }
  const setCookie = lines.length === 1 ? (lines[0] as string) : lines;
  return session ? { 'Set-Cookie': setCookie, ...PRIVATE_CACHE_HEADERS } : { 'Set-Cookie': setCookie };
}

/**
 * The whole sealed session from its first cookie: joined with exactly the parts (`name.1`, `name.2`, …) the
 * first cookie says it was written with. Extra parts (stale, or planted by a sibling subdomain with
 * `Domain=`) are ignored; a missing part gives `null`.
 */
export async function joinSessionParts<TRequest>(
  writer: CookieWriter<TRequest>,
  first: string | null,
  request: TRequest,
): Promise<string | null> {
  const { readCookie } = writer;
  if (!first || isWholeSeal(first) || !readCookie) return first;
  const recorded = readPartCount(first);
  if (!recorded) return first;
  if (recorded.count < 2 || recorded.count > writer.maxParts) return null;
  let whole = recorded.firstPiece;
  for (let index = 1; index < recorded.count; index++) {
    const part = await readCookie(request, partName(writer.name, index));
    if (!part) return null;
    whole += part;
  }
  return whole;
}

/** The session's lines (one cookie unless the storage can read parts back), reporting oversize sessions. */
function planSession<TRequest>(writer: CookieWriter<TRequest>, value: string, carried: number[]): string[] {
  const maxParts = writer.readCookie ? writer.maxParts : 1;
  try {
    const plan = planSessionCookies(writer.name, value, writer.options, maxParts, carried, sessionSerializer(writer));
    if (plan.cookieHeaderBytes > PROXY_HEADER_LIMIT_BYTES * 0.75) {
      emit(writer.onEvent, { type: 'cookie.header_near_limit', bytes: plan.cookieHeaderBytes });
    }
    return plan.lines;
  } catch (error) {
    const data = (error as AuthKitError).data as { bytes: number; parts: number } | undefined;
    emit(writer.onEvent, { type: 'cookie.oversize', bytes: data?.bytes ?? value.length, parts: data?.parts ?? 0 });
    throw error;
  }
}

/** The session cookie's serializer: its first cookie through `sessionLine`, its parts through `serialize`. */
function sessionSerializer<TRequest>(writer: CookieWriter<TRequest>): CookieSerializer {
  return (name, value, options, flags = {}) =>
    name === writer.name ? writer.sessionLine(value, flags.expired ?? false) : writer.serialize(name, value, options, flags);
}

/** Indexes (1…) of the session parts a request carries; none without a request or a cookie reader. */
async function carriedParts<TRequest>(writer: CookieWriter<TRequest>, request: TRequest | undefined): Promise<number[]> {
  const { readCookie } = writer;
  if (request === undefined || !readCookie) return [];
  const carried: number[] = [];
  for (let index = 1; index < Math.max(writer.maxParts, DEFAULT_MAX_PARTS); index++) {
    if ((await readCookie(request, partName(writer.name, index)).catch(() => null)) !== null) carried.push(index);
  }
  return carried;
}

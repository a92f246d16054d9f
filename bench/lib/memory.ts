/**
 * The memory check of `npm run bench`: a fresh service takes 1,000,000 `withAuth` calls cycling over
 * 200,000 distinct cookies; the heap (after a full GC) is sampled every 200,000 calls. Flat samples within
 * the cache's byte budget mean the cache holds its bounds and nothing else grows.
 *
 * Counted: V8's heap and the memory of ArrayBuffers (the cache's typed arrays live there, outside the heap).
 * The cookies are flattened before the baseline: a sealed cookie is built by concatenation, and V8 flattens
 * such a string the first time it is read whole (here by the request's `encodeURIComponent`), freeing its
 * pieces; left to the timed loop, that freeing (some 30 MiB over 200,000 cookies) hid the cache's growth.
 */
import { collectGarbage } from './measure.js';

interface Service {
  withAuth(request: Request): Promise<{ auth: { user: unknown } }>;
  getCore(): Promise<{ config: { sessionCacheMaxEntries: number; sessionCacheMaxBytes: number } }>;
}

export interface MemoryResult {
  gc: boolean;
  /** Growth of heap and ArrayBuffer memory over the baseline after each 200,000 calls, in MiB. */
  samplesMiB: number[];
  cacheEntries: number;
  cacheBytes: number;
  maxEntries: number;
  maxBytes: number;
  failures: number;
}

export const MEMORY_CALLS = 1_000_000;
export const MEMORY_COOKIES = 200_000;

/** Runs the check; `cookieAt(i)` gives the i-th distinct cookie value (sealed beforehand by the caller). */
export async function memoryCheck(
  service: Service,
  cookies: readonly string[],
  request: (cookie: string) => Request,
): Promise<MemoryResult> {
  const core = await service.getCore();
  // The core's units live in its private `parts` (see createCore); the cache is one of them.
  const cache = (core as unknown as { parts: { sessionCache?: { size: number; bytes: number } } }).parts.sessionCache;
  if ((await service.withAuth(request(cookies[0] as string))).auth.user === null) throw new Error('memory check: did not authenticate');
  for (const cookie of cookies) encodeURIComponent(cookie);
  const gc = collectGarbage();
  const base = usedBytes();
  const samplesMiB: number[] = [];
  let failures = 0;
  for (let call = 1; call <= MEMORY_CALLS; call++) {
    if ((await service.withAuth(request(cookies[call % MEMORY_COOKIES] as string))).auth.user === null) failures++;
    if (call % MEMORY_COOKIES === 0 && gc) {
      collectGarbage();
      samplesMiB.push((usedBytes() - base) / 2 ** 20);
    }
  }
  return {
    gc,
    samplesMiB,
    cacheEntries: cache?.size ?? 0,
    cacheBytes: cache?.bytes ?? 0,
    maxEntries: core.config.sessionCacheMaxEntries,
    maxBytes: core.config.sessionCacheMaxBytes,
    failures,
  };
}

/** V8's heap in use and the memory of ArrayBuffers, in bytes. */
function usedBytes(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

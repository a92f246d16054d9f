/**
 * The memory check of `npm run bench`: a fresh service takes 1,000,000 `withAuth` calls cycling over
 * 200,000 distinct cookies; the heap (after a full GC) is sampled every 200,000 calls. Flat samples within
 * the cache's byte budget mean the cache holds its bounds and nothing else grows.
 */
import { collectGarbage } from './measure.js';

interface Service {
  withAuth(request: Request): Promise<{ auth: { user: unknown } }>;
  getCore(): Promise<{ config: { sessionCacheMaxEntries: number; sessionCacheMaxBytes: number } }>;
}

export interface MemoryResult {
  gc: boolean;
  /** Heap growth over the baseline after each 200,000 calls, in MiB. */
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
  const gc = collectGarbage();
  const base = process.memoryUsage().heapUsed;
  const samplesMiB: number[] = [];
  let failures = 0;
  for (let call = 1; call <= MEMORY_CALLS; call++) {
    if ((await service.withAuth(request(cookies[call % MEMORY_COOKIES] as string))).auth.user === null) failures++;
    if (call % MEMORY_COOKIES === 0 && gc) {
      collectGarbage();
      samplesMiB.push((process.memoryUsage().heapUsed - base) / 2 ** 20);
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

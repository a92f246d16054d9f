/**
 * The cost of a cache miss: `withAuth` on never-seen cookies (first sight) by two services of this package
 * in this process, one with the session cache (defaults) and one with it off (`sessionCacheMaxEntries: 0`).
 * Measured as CPU time per call (process.cpuUsage) in alternating blocks (the order flips each block), so
 * both sides see the same machine load; the figures are medians over the blocks, and the extra cost is the
 * median of the per-block differences. The cache-on service keeps what it remembers, filling as in use.
 */
import os from 'node:os';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { configFor } from '../../test/helpers/emulator.js';
import { createAuthService } from './ours.js';
import { median } from './measure.js';

export interface MissCostOptions {
  port: number;
  apiKey: string;
  issuer: string;
  /** A new seal of the bench session (new salts: a never-seen cookie). */
  seal: () => Promise<string>;
  request: (cookie: string) => Request;
  /** Blocks per side (default 60, BENCH_MISS_BLOCKS) of `block` calls (default 200). */
  blocks?: number;
  block?: number;
}

export interface MissCost {
  /** CPU microseconds per first sight, cache on and off (medians over the blocks). */
  onUs: number;
  offUs: number;
  /** Median over the blocks of (on − off). */
  extraUs: number;
  /** Calls timed, both sides. */
  calls: number;
  load: [number, number];
  failures: number;
}

/** Measures a first sight with the session cache on against the same with it off. */
export async function missCost(options: MissCostOptions): Promise<MissCost> {
  const { seal, request, blocks = Number(process.env.BENCH_MISS_BLOCKS ?? 60), block = 200 } = options;
  const make = (extra: Record<string, unknown>) =>
    createAuthService<Request, Response>({
      config: configFor(options.port, options.apiKey, { issuer: options.issuer, ...extra }),
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
    });
  const sides = { on: make({}), off: make({ sessionCacheMaxEntries: 0 }) };
  let failures = 0;
  const run = async (side: keyof typeof sides, requests: Request[]) => {
    const service = sides[side];
    const before = process.cpuUsage();
    for (const req of requests) if ((await service.withAuth(req)).auth.user === null) failures++;
    const used = process.cpuUsage(before);
    return (used.user + used.system) / requests.length;
  };
  const fresh = async (count: number) => {
    const requests: Request[] = [];
    for (let i = 0; i < count; i++) requests.push(request(await seal()));
    return requests;
  };
  for (const side of ['on', 'off'] as const) await run(side, await fresh(block));
  const on: number[] = [];
  const off: number[] = [];
  const loadBefore = os.loadavg()[0] as number;
  for (let index = 0; index < blocks; index++) {
    const [forOn, forOff] = [await fresh(block), await fresh(block)];
    if (index % 2) off.push(await run('off', forOff));
    on.push(await run('on', forOn));
    if (!(index % 2)) off.push(await run('off', forOff));
  }
  return {
    onUs: median(on),
    offUs: median(off),
    extraUs: median(on.map((us, index) => us - (off[index] as number))),
    calls: 2 * blocks * block,
    load: [loadBefore, os.loadavg()[0] as number],
    failures,
  };
}

/** The bench's line for a {@link MissCost}. */
export function formatMissCost(result: MissCost): string {
  const us = (n: number) => n.toFixed(1);
  const perSide = result.calls / 2;
  return (
    `cache miss (first sight, CPU per withAuth call; medians over alternating blocks, ${perSide.toLocaleString('en-US')} calls a side; ` +
    `load ${result.load[0].toFixed(2)} → ${result.load[1].toFixed(2)}): cache on ${us(result.onUs)} µs, cache off ${us(result.offUs)} µs, ` +
    `on − off ${result.extraUs >= 0 ? '+' : ''}${us(result.extraUs)} µs per call (median of the per-block differences)`
  );
}

/**
 * The HTTP part of `npm run bench`: this package (Node adapter, Fetch adapter, withAuthHandler) and
 * @workos/authkit-session 0.7.1, each behind its own `node:http` server process, driven by autocannon over
 * 16 keep-alive connections with 1, 1,000, 20,000 and 100,000 distinct session cookies (the same session
 * sealed again: new salts, so every cookie is new to a cache), plus no-auth servers as the floor. Cells
 * alternate between the libraries round by round; the table shows medians. Redis rows count the Redis
 * commands per request from `INFO commandstats`.
 */
import os from 'node:os';
import { Redis } from 'ioredis';
import { drive, startServer, visitAll, type BenchServer, type LoadResult } from './lib/load.js';
import type { ServerKind } from './lib/httpServer.js';
import { median } from './lib/measure.js';
import { printTable } from './lib/table.js';
import { startRedis } from '../test/helpers/redis.js';

/** What bench/http.ts needs from the caller: a running emulator and sealed cookies. */
export interface HttpBenchInput {
  apiPort: number;
  apiKey: string;
  issuer: string;
  /** `wos-session=…` header values, all distinct; at least the largest cookie count. */
  cookies: readonly string[];
}

interface Cell {
  name: string;
  kind: ServerKind;
  cookies: number;
  redis?: boolean;
  /** Row this cell is compared to (its ratio column). */
  versus?: string;
  /** Requests per second to send (all connections together); as many as the server answers when absent. */
  rate?: number;
}

const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 4);
const COUNTS = [1, 1_000, 20_000, 100_000] as const;
/**
 * The rate at which the adapters are compared (BENCH_HTTP_RATE, default 2,000 req/s): a server's CPU per request
 * falls as its request rate rises (more requests per wake-up), so CPU less a floor only compares like with like
 * when the cells and their floors answer the same rate; at full speed the slower Fetch cells looked costlier.
 * At 2,000 req/s each figure carries more wake-up cost and varies more from run to run; BENCH_HTTP_RATE=0
 * compares at full speed instead.
 */
const RATE = Number(process.env.BENCH_HTTP_RATE ?? 2_000) || undefined;
/** BENCH_HTTP_CELLS: a regular expression; only rows whose name matches run (the floors always run). */
const ONLY = process.env.BENCH_HTTP_CELLS ? new RegExp(process.env.BENCH_HTTP_CELLS) : undefined;
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

/** Runs every cell ROUNDS times, alternating, and prints the table; returns the medians by cell name. */
export async function runHttpBench(input: HttpBenchInput): Promise<Map<string, LoadResult & { redisPerRequest?: number }>> {
  const cells: Cell[] = [
    { name: 'floor: node:http, no auth', kind: 'floor', cookies: 1_000 },
    { name: 'floor: Fetch bridge, no auth', kind: 'floor-fetch', cookies: 1_000 },
  ];
  for (const count of COUNTS) {
    const label = `${count.toLocaleString('en-US')} cookie${count === 1 ? '' : 's'}`;
    cells.push({ name: `0.7.1, ${label}`, kind: 'anchor', cookies: count });
    cells.push({ name: `Node adapter, ${label}`, kind: 'ours', cookies: count, versus: `0.7.1, ${label}` });
  }
  const perSecond = RATE === undefined ? '' : `, ${RATE.toLocaleString('en-US')} req/s`;
  const atRate = `1,000 cookies${perSecond}`;
  if (RATE !== undefined) {
    cells.push(
      { name: `floor: node:http, no auth${perSecond}`, kind: 'floor', cookies: 1_000, rate: RATE },
      { name: `floor: Fetch bridge, no auth${perSecond}`, kind: 'floor-fetch', cookies: 1_000, rate: RATE },
      { name: `Node adapter, ${atRate}`, kind: 'ours', cookies: 1_000, rate: RATE },
    );
  }
  cells.push(
    { name: `Fetch adapter (bridge), ${atRate}`, kind: 'ours-fetch', cookies: 1_000, rate: RATE, versus: `Node adapter, ${atRate}` },
    { name: `withAuthHandler (bridge), ${atRate}`, kind: 'ours-handler', cookies: 1_000, rate: RATE, versus: `Node adapter, ${atRate}` },
  );
  for (const count of [1, 1_000, 100_000]) {
    const label = `${count.toLocaleString('en-US')} cookie${count === 1 ? '' : 's'}`;
    cells.push({ name: `Node adapter + Redis, ${label}`, kind: 'ours', cookies: count, redis: true, versus: `Node adapter, ${label}` });
  }

  if (ONLY) cells.splice(0, cells.length, ...cells.filter((c) => c.kind.startsWith('floor') || ONLY.test(c.name)));

  const redis = await startRedis();
  const stats = redis.client();
  const results = new Map<string, (LoadResult & { redisPerRequest?: number })[]>();
  const loadBefore = os.loadavg();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...cells].reverse() : cells;
      for (const cell of order) {
        const server = await startServer({
          kind: cell.kind,
          apiPort: input.apiPort,
          apiKey: input.apiKey,
          issuer: input.issuer,
          ...(cell.redis ? { redisUrl: redis.url } : {}),
        });
        try {
          const cookies = input.cookies.slice(0, cell.cookies);
          const result = await measureCell(server, cookies, cell, stats);
          results.set(cell.name, [...(results.get(cell.name) ?? []), result]);
          console.log(
            `  round ${round + 1}: ${cell.name}: ${fmt(result.requestsPerSecond)} req/s, ${result.cpuUsPerRequest.toFixed(1)} µs CPU/req`,
          );
        } finally {
          await server.close();
        }
      }
    }
  } finally {
    stats.disconnect();
    await redis.stop();
  }
  const loadAfter = os.loadavg();

  const medians = new Map<string, LoadResult & { redisPerRequest?: number }>();
  for (const [name, runs] of results) {
    const pick = (key: keyof LoadResult) => median(runs.map((r) => r[key]));
    const redisRuns = runs.map((r) => r.redisPerRequest).filter((n): n is number => n !== undefined);
    medians.set(name, {
      requests: pick('requests'),
      requestsPerSecond: pick('requestsPerSecond'),
      failures: runs.reduce((sum, r) => sum + r.failures, 0),
      cpuUsPerRequest: pick('cpuUsPerRequest'),
      p99Ms: pick('p99Ms'),
      ...(redisRuns.length ? { redisPerRequest: median(redisRuns) } : {}),
    });
  }
  const isFetch = (cell: Cell) => cell.kind === 'ours-fetch' || cell.kind === 'ours-handler';
  /** The no-auth floor a cell is measured against: node:http (or the Fetch bridge for `fetch`) at the cell's rate. */
  const floorOf = (cell: Cell, fetch: boolean) =>
    medians.get(cells.find((c) => c.kind === (fetch ? 'floor-fetch' : 'floor') && c.rate === cell.rate)?.name ?? '');
  /** CPU a request spends in authentication: the cell's CPU less its own server's floor at its rate. */
  const authCpu = (cell: Cell, m: LoadResult) =>
    cell.kind.startsWith('floor') ? 0 : m.cpuUsPerRequest - (floorOf(cell, isFetch(cell))?.cpuUsPerRequest ?? 0);
  const rows = cells.map((cell) => {
    const m = medians.get(cell.name) as LoadResult & { redisPerRequest?: number };
    const versus = cell.versus ? medians.get(cell.versus) : undefined;
    const versusCell = cells.find((other) => other.name === cell.versus);
    let ratio = '';
    const floor = floorOf(cell, false);
    if (versus && versusCell && isFetch(cell)) {
      ratio = `${(authCpu(cell, m) / authCpu(versusCell, versus)).toFixed(2)}x the auth CPU of ${cell.versus}`;
    } else if (versus) ratio = `${(m.requestsPerSecond / versus.requestsPerSecond).toFixed(1)}x req/s vs ${cell.versus}`;
    return [
      cell.name,
      fmt(m.requestsPerSecond),
      m.cpuUsPerRequest.toFixed(1),
      floor ? `${(m.cpuUsPerRequest / floor.cpuUsPerRequest).toFixed(2)}x` : '',
      cell.kind.startsWith('floor') ? '' : authCpu(cell, m).toFixed(1),
      `${m.p99Ms}`,
      m.redisPerRequest === undefined ? '' : m.redisPerRequest.toFixed(2),
      String(m.failures),
      ratio,
    ];
  });
  console.log(
    `\nHTTP: node:http servers (one process each) driven by autocannon, 16 connections, ${SECONDS} s per cell, median of ${ROUNDS} alternating rounds`,
  );
  console.log(
    `machine load (1/5/15 min) before: ${loadBefore.map((n) => n.toFixed(2)).join(' / ')}, after: ${loadAfter.map((n) => n.toFixed(2)).join(' / ')}`,
  );
  console.log(
    `auth CPU: server CPU per request less that of its no-auth floor at the same rate (the Fetch bridge floor for the Fetch rows); the adapters are compared at ${RATE === undefined ? 'full speed' : `${RATE.toLocaleString('en-US')} req/s`}\n`,
  );
  printTable(
    ['server', 'req/s', 'server CPU µs/req', 'CPU vs floor', 'auth CPU µs/req', 'p99 ms', 'Redis cmds/req', 'failures', 'ratio'],
    rows,
  );
  return medians;
}

/** Warms the server (every cookie once, so a cache has seen them all), then one timed run. */
async function measureCell(
  server: BenchServer,
  cookies: string[],
  cell: Cell,
  stats: Redis,
): Promise<LoadResult & { redisPerRequest?: number }> {
  // 0.7.1 has no cache: a short warm-up compiles its path. This package sees every cookie once first.
  const warm = cell.kind === 'anchor' || cell.kind.startsWith('floor') ? cookies.slice(0, 2_000) : cookies;
  const warmFailures = await visitAll(server, warm);
  const before = cell.redis ? await commandCount(stats) : 0;
  const result = await drive(server, cookies, SECONDS, 16, cell.rate);
  const out: LoadResult & { redisPerRequest?: number } = { ...result, failures: result.failures + warmFailures };
  if (cell.redis) out.redisPerRequest = ((await commandCount(stats)) - before) / result.requests;
  return out;
}

/** Commands Redis has run (those inside scripts included), except `INFO` (ours, to read this). */
async function commandCount(client: Redis): Promise<number> {
  const text = await client.info('commandstats');
  let total = 0;
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (match[1] !== 'info') total += Number(match[2]);
  return total;
}

export type { BenchServer };

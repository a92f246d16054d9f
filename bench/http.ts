/**
 * The HTTP part of `npm run bench`: this package (Node adapter) and @workos/authkit-session 0.7.1, each
 * behind its own `node:http` server process, driven by autocannon over
 * 16 keep-alive connections with 1, 1,000, 20,000 and 100,000 distinct session cookies (the same session
 * sealed again: new salts, so every cookie is new to a cache), plus no-auth servers as the floor.
 * Method, the same for every server: each server process is started once and pinned to one core, autocannon
 * (this process) to another (see `corePinning`; unpinned when the machine cannot); each is warmed up
 * before timing (at least 2,000 requests, and for this package's servers, which keep state per cookie, every
 * cookie of the cell twice, so its cache holds all of them in the state it keeps for a cookie seen again:
 * the steady state of that many active users); then ROUNDS short timed runs per
 * server, alternating between servers round by round (order reversed every other round), each cell's
 * cookie rotation going on where its last run stopped. The table shows medians and the spread of the rounds.
 * Redis rows count the Redis commands per request from `INFO commandstats`. Then the adapter rows (Node
 * adapter, Fetch adapter, withAuthHandler), each against its own stack's floor in one process (bench/lib/adapterPairs.ts).
 */
import os from 'node:os';
import { Redis } from 'ioredis';
import { corePinning, drive, pinSelf, startServer, visitAll, type BenchServer, type Rotation } from './lib/load.js';
import { printHttpReport, type Cell, type CellResult } from './lib/httpReport.js';
import { compareAdapters } from './lib/adapterPairs.js';
import { startRedis } from '../test/helpers/redis.js';

/** What bench/http.ts needs from the caller: a running emulator and sealed cookies. */
export interface HttpBenchInput {
  apiPort: number;
  apiKey: string;
  issuer: string;
  /** `wos-session=…` header values, all distinct; at least the largest cookie count. */
  cookies: readonly string[];
}

const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 2);
/** Fewest warm-up requests per server (JIT, JWKS fetched, connections); this package's servers see every cookie too. */
const WARM_REQUESTS = 2_000;
/**
 * Untimed requests each server answers right before each of its timed runs (BENCH_HTTP_REWARM): between its
 * runs a server idles while the other cells run, and an idle V8 shrinks its heap and drops unused code.
 */
const REWARM_REQUESTS = Number(process.env.BENCH_HTTP_REWARM ?? 2_000);
/**
 * How many times this package's servers see every cookie of the cell before timing (BENCH_HTTP_WARM_PASSES).
 * Twice: a cookie's second request is the one that moves its cache entry to the form it keeps while the
 * user stays active (a first sight's ticket compacted, or the whole session kept); timing from the first
 * pass timed that one-off move for every cookie (at 100,000 cookies a 2 s round covers a third of them).
 * 0.7.1 and the floors keep nothing per cookie (2,000 requests warm them).
 */
const WARM_PASSES = Number(process.env.BENCH_HTTP_WARM_PASSES ?? 2);
const COUNTS = [1, 1_000, 20_000, 100_000] as const;
/** BENCH_HTTP_CELLS: a regular expression; only rows whose name matches run (the floors always run). */
const ONLY = process.env.BENCH_HTTP_CELLS ? new RegExp(process.env.BENCH_HTTP_CELLS) : undefined;
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

/** Runs every cell ROUNDS times, alternating, and prints the table; returns the medians by cell name. */
export async function runHttpBench(input: HttpBenchInput): Promise<Map<string, CellResult>> {
  const cells: Cell[] = [{ name: 'floor: node:http, no auth', kind: 'floor', cookies: 1_000 }];
  for (const count of COUNTS) {
    const label = `${count.toLocaleString('en-US')} cookie${count === 1 ? '' : 's'}`;
    cells.push({ name: `0.7.1, ${label}`, kind: 'anchor', cookies: count });
    cells.push({ name: `Node adapter, ${label}`, kind: 'ours', cookies: count, versus: `0.7.1, ${label}` });
  }
  for (const count of [1, 1_000, 100_000]) {
    const label = `${count.toLocaleString('en-US')} cookie${count === 1 ? '' : 's'}`;
    cells.push({ name: `Node adapter + Redis, ${label}`, kind: 'ours', cookies: count, redis: true, versus: `Node adapter, ${label}` });
  }

  if (ONLY) cells.splice(0, cells.length, ...cells.filter((c) => c.kind.startsWith('floor') || ONLY.test(c.name)));

  const redis = await startRedis();
  const stats = redis.client();
  const results = new Map<string, CellResult[]>();
  const pinning = corePinning();
  const pinned = typeof pinning === 'object' ? pinning : undefined;
  const driverCores = pinned ? pinSelf(pinned, pinned.driver) : undefined;
  const loadBefore = os.loadavg();
  const servers = new Map<string, { server: BenchServer; rotation: Rotation; warmFailures: number }>();
  try {
    for (const cell of cells) {
      const server = await startServer(
        {
          kind: cell.kind,
          apiPort: input.apiPort,
          apiKey: input.apiKey,
          issuer: input.issuer,
          ...(cell.redis ? { redisUrl: redis.url } : {}),
        },
        pinned,
      );
      const entry = { server, rotation: { cookies: input.cookies.slice(0, cell.cookies), next: 0 }, warmFailures: 0 };
      servers.set(cell.name, entry);
      // 0.7.1 and the floors keep nothing per cookie; this package's cache is filled with every cookie of the cell.
      const ours = cell.kind.startsWith('ours');
      entry.warmFailures = await visitAll(server, entry.rotation, Math.max(WARM_REQUESTS, ours ? cell.cookies * WARM_PASSES : 0));
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...cells].reverse() : cells;
      for (const cell of order) {
        const { server, rotation } = servers.get(cell.name) as { server: BenchServer; rotation: Rotation };
        const result = await measureCell(server, rotation, cell, stats);
        results.set(cell.name, [...(results.get(cell.name) ?? []), result]);
        console.log(
          `  round ${round + 1}: ${cell.name}: ${fmt(result.requestsPerSecond)} req/s, ${result.cpuUsPerRequest.toFixed(1)} µs CPU/req (load ${os.loadavg()[0]?.toFixed(2)})`,
        );
      }
    }
    for (const [name, { warmFailures }] of servers) {
      const runs = results.get(name);
      if (runs?.[0]) runs[0].failures += warmFailures;
    }
  } finally {
    for (const { server } of servers.values()) await server.close();
    if (pinned && driverCores) pinSelf(pinned, driverCores);
    stats.disconnect();
    await redis.stop();
  }
  const loadAfter = os.loadavg();

  const medians = printHttpReport({
    cells,
    results,
    header: [
      `\nHTTP: node:http servers (one process each, started once) driven by autocannon, 16 connections; each server warmed up first ` +
        `(${WARM_REQUESTS.toLocaleString('en-US')} requests, and every cookie of the cell ${WARM_PASSES === 1 ? 'once' : WARM_PASSES === 2 ? 'twice' : `${WARM_PASSES} times`} for this package's servers, which keep state per cookie; 0.7.1 keeps none); ` +
        `median of ${ROUNDS} alternating rounds of ${SECONDS} s per cell, each run right after ${REWARM_REQUESTS.toLocaleString('en-US')} untimed requests to the same server; every request carries the next cookie of the cell's one rotation, ` +
        `going on where its last run stopped (written as that cookie's bytes, built once per cookie from autocannon's own request as a template, Host: localhost)`,
      pinned
        ? `cores: every server process pinned to core ${pinned.server}, autocannon (the bench process) to core ${pinned.driver} (taskset)`
        : `cores: not pinned (${pinning}): servers and autocannon share the cores`,
      `machine load (1/5/15 min) before: ${loadBefore.map((n) => n.toFixed(2)).join(' / ')}, after: ${loadAfter.map((n) => n.toFixed(2)).join(' / ')}`,
    ],
  });
  // The adapter rows, pinned the same way (their servers on the server core, autocannon here); with
  // BENCH_HTTP_CELLS, only when it matches "adapters".
  if (ONLY && !ONLY.test('adapters')) return medians;
  const cores = pinned ? pinSelf(pinned, pinned.driver) : undefined;
  try {
    await compareAdapters({ apiPort: input.apiPort, apiKey: input.apiKey, issuer: input.issuer, cookies: input.cookies, pinned });
  } finally {
    if (pinned && cores) pinSelf(pinned, cores);
  }
  return medians;
}

/**
 * One timed run of a warmed-up server, after REWARM_REQUESTS untimed ones, with the Redis commands the timed
 * run caused when the cell uses Redis; failures of both count.
 */
async function measureCell(server: BenchServer, rotation: Rotation, cell: Cell, stats: Redis): Promise<CellResult> {
  const rewarmFailures = REWARM_REQUESTS > 0 ? await visitAll(server, rotation, REWARM_REQUESTS) : 0;
  const before = cell.redis ? await commandCount(stats) : 0;
  const result: CellResult = await drive(server, rotation, SECONDS, 16);
  result.failures += rewarmFailures;
  if (cell.redis) result.redisPerRequest = ((await commandCount(stats)) - before) / result.requests;
  return result;
}

/** Commands Redis has run (those inside scripts included), except `INFO` (ours, to read this). */
async function commandCount(client: Redis): Promise<number> {
  const text = await client.info('commandstats');
  let total = 0;
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (match[1] !== 'info') total += Number(match[2]);
  return total;
}

export type { BenchServer };

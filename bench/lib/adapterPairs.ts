/**
 * The adapter rows of `npm run bench:http`: the server CPU that authentication adds to a request in the Node
 * adapter, the Fetch adapter and `withAuthHandler` (both behind the Node↔Fetch bridge), against the same
 * figure for the Node adapter. Each adapter runs in a server process of its own that alternates, every SLICE
 * requests, between the adapter and its stack's no-auth floor (node:http alone for the Node adapter, the bridge
 * answering without auth for the Fetch rows) and records the process's CPU time per request of each slice
 * (bench/lib/slices.ts): the two sides run in one process, milliseconds apart, so what else the machine does
 * weighs on both alike, and auth CPU is not the small difference of two separate noisy runs.
 * Method, the same for every adapter: a warm-up (every cookie seen by the adapter), then RUNS runs per adapter,
 * alternating between adapters, each of REQUESTS requests sent by autocannon (a fixed count, as fast as it
 * answers) over CONNECTIONS keep-alive connections (16, as in the other rows), 1,000 cookies in turn.
 * The figure per adapter is the median over its slice pairs of (adapter slice − the mean of the floor slices
 * either side), robust to the slices another process on the machine disturbed; the table also gives the
 * interquartile range of those differences, the means, and the ratio to the Node adapter in each run alone.
 * Not autocannon's `overallRate`: it hands each connection its share of the rate once a second (a burst at
 * full speed, then idle), and a run of N seconds gets N + 1 such quotas, so that "rate" is neither held nor smooth.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { startServer, visitAll, type BenchServer, type Pinning } from './load.js';
import { median } from './measure.js';
import { printTable } from './table.js';
import type { ServerKind } from './httpServer.js';

const RUNS = Number(process.env.BENCH_ADAPTER_RUNS ?? 3);
const REQUESTS = Number(process.env.BENCH_ADAPTER_REQUESTS ?? 40_000);
const SLICE = Number(process.env.BENCH_ADAPTER_SLICE ?? 500);
const CONNECTIONS = Number(process.env.BENCH_ADAPTER_CONNECTIONS ?? 16);
const COOKIES = 1_000;

const ADAPTERS: readonly { name: string; kind: ServerKind }[] = [
  { name: 'Node adapter', kind: 'ours' },
  { name: 'Fetch adapter (bridge)', kind: 'ours-fetch' },
  { name: '`withAuthHandler` (bridge)', kind: 'ours-handler' },
];

/** Where the servers are and how to reach the emulator. */
export interface AdapterPairsInput {
  apiPort: number;
  apiKey: string;
  issuer: string;
  cookies: readonly string[];
  pinned: Pinning | undefined;
}

/** One adapter's slices over all runs: CPU µs per request of the floor's and the adapter's, and per run. */
interface AdapterRun {
  name: string;
  floor: number[];
  auth: number[];
  /** Per slice pair: the adapter's slice less the mean of the floor slices either side of it. */
  differences: number[];
  /** Per run: the median of that run's differences. */
  perRun: number[];
  failures: number;
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Sends REQUESTS requests, every connection walking the cookies from `start`. */
async function send(server: BenchServer, cookies: readonly string[], start: number): Promise<number> {
  const order = [...cookies.slice(start), ...cookies.slice(0, start)];
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections: CONNECTIONS,
    amount: REQUESTS,
    requests: order.map((cookie) => ({ method: 'GET', headers: { cookie } })),
  });
  return result.non2xx + result.errors + result.timeouts + Math.max(0, REQUESTS - result.requests.total);
}

/** Runs the adapters' slices and prints their table; returns each adapter's auth CPU per request (µs). */
export async function compareAdapters(input: AdapterPairsInput): Promise<Map<string, number>> {
  const loadBefore = os.loadavg();
  const cookies = input.cookies.slice(0, COOKIES);
  const runs: AdapterRun[] = ADAPTERS.map(({ name }) => ({ name, floor: [], auth: [], differences: [], perRun: [], failures: 0 }));
  const servers: BenchServer[] = [];
  try {
    for (const [index, adapter] of ADAPTERS.entries()) {
      const init = { kind: adapter.kind, apiPort: input.apiPort, apiKey: input.apiKey, issuer: input.issuer, alternateEvery: SLICE };
      const server = await startServer(init, input.pinned);
      servers.push(server);
      (runs[index] as AdapterRun).failures += await visitAll(server, { cookies, next: 0 }, COOKIES * 4);
      (runs[index] as AdapterRun).failures += await send(server, cookies, 0);
      await server.slices();
    }
    for (let round = 0; round < RUNS; round++) {
      const order = round % 2 ? [...ADAPTERS.keys()].reverse() : [...ADAPTERS.keys()];
      for (const index of order) {
        const run = runs[index] as AdapterRun;
        const server = servers[index] as BenchServer;
        run.failures += await send(server, cookies, (round * 337) % COOKIES);
        const { floor, auth } = await server.slices();
        const pairs = Math.min(floor.length, auth.length);
        const differences: number[] = [];
        for (let i = 0; i < pairs; i++) {
          const around = floor[i + 1] === undefined ? (floor[i] as number) : ((floor[i] as number) + (floor[i + 1] as number)) / 2;
          differences.push((auth[i] as number) - around);
        }
        run.differences.push(...differences);
        run.floor.push(...floor.slice(0, pairs));
        run.auth.push(...auth.slice(0, pairs));
        run.perRun.push(median(differences));
      }
    }
  } finally {
    for (const server of servers) await server.close();
  }
  const loadAfter = os.loadavg();
  const node = runs[0] as AdapterRun;
  const authCpu = (run: AdapterRun) => median(run.differences);
  const quartiles = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))] as number;
    return `${at(0.25).toFixed(1)} – ${at(0.75).toFixed(1)}`;
  };
  console.log(
    `\nAdapters: the server CPU auth adds per request, each adapter in a server process of its own (pinned as above) that ` +
      `alternates every ${SLICE} requests between the adapter and its stack's no-auth floor (node:http alone for the Node ` +
      `adapter, the Node↔Fetch bridge for the Fetch rows), timing each slice with the process's CPU time; ${RUNS} runs per ` +
      `adapter, alternating between adapters, each ${REQUESTS.toLocaleString('en-US')} requests sent by autocannon as fast as ` +
      `answered over ${CONNECTIONS} keep-alive connection${CONNECTIONS === 1 ? '' : 's'}, ${COOKIES.toLocaleString('en-US')} ` +
      `cookies in turn (all cached after the warm-up). Auth CPU: the median over slice pairs of (adapter slice − mean of the ` +
      `floor slices either side), with the interquartile range of those differences; means: of all floor and adapter slices; ` +
      `per run: the ratio of each run's medians alone`,
  );
  console.log(
    `machine load (1/5/15 min) before: ${loadBefore.map((n) => n.toFixed(2)).join(' / ')}, after: ${loadAfter.map((n) => n.toFixed(2)).join(' / ')}\n`,
  );
  printTable(
    [
      'adapter',
      'mean floor / with auth µs/req',
      'auth CPU µs/req (median)',
      'IQR µs',
      "vs the Node adapter's auth CPU",
      'per run',
      'failures',
    ],
    runs.map((run) => [
      run.name,
      `${mean(run.floor).toFixed(1)} / ${mean(run.auth).toFixed(1)}`,
      authCpu(run).toFixed(1),
      quartiles(run.differences),
      `${(authCpu(run) / authCpu(node)).toFixed(2)}x`,
      run.perRun.map((value, i) => `${(value / (node.perRun[i] as number)).toFixed(2)}x`).join(', '),
      String(run.failures),
    ]),
  );
  return new Map(runs.map((run) => [run.name, authCpu(run)]));
}

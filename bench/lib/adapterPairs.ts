/**
 * The adapter rows of `npm run bench:http`: the server CPU that authentication adds to a request in the Node
 * adapter, the Fetch adapter and `withAuthHandler` (both behind the Node↔Fetch bridge), against the same
 * figure for the Node adapter. Each adapter runs in a server process of its own that alternates, every SLICE
 * requests, between the adapter and its stack's no-auth floor (node:http alone for the Node adapter, the bridge
 * answering without auth for the Fetch rows) and records the process's CPU time per request of each slice
 * (bench/lib/slices.ts): the two sides run in one process, milliseconds apart, so what else the machine does
 * weighs on both alike, and auth CPU is not the small difference of two separate noisy runs.
 * Method, the same for every adapter: a warm-up (every cookie seen by the adapter, then WARM_UP requests), then
 * RUNS rounds; in each round every adapter gets one run of REQUESTS requests sent by autocannon (a fixed count, as
 * fast as it answers) over CONNECTIONS keep-alive connections (16, as in the other rows), 1,000 cookies in turn,
 * the adapters' order reversed every other round. The figure per adapter is the median over its slice pairs of
 * (adapter slice − the mean of the floor slices either side), robust to the slices another process on the machine
 * disturbed; the table also gives the interquartile range of those differences and the means. The ratio to the
 * Node adapter is the median over rounds of each round's ratio (the adapter's median of that round over the Node
 * adapter's of the same round, seconds apart), with its range and the ratio of the pooled medians: on a loaded
 * machine the same node:http floor moves from one run to the next (26–47 µs per request in one full run), and
 * auth CPU with it (a Node adapter figure of 4.7 µs in a quiet run, 1.8–19.6 µs run by run at load 4–7), so
 * the ratio compares runs made close together, over many rounds rather than three long runs. Each round's load and
 * node:http floor are printed under the table.
 * Not autocannon's `overallRate`: it hands each connection its share of the rate once a second (a burst at
 * full speed, then idle), and a run of N seconds gets N + 1 such quotas, so that "rate" is neither held nor smooth.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { startServer, visitAll, type BenchServer, type Pinning } from './load.js';
import { median } from './measure.js';
import { printTable } from './table.js';
import type { ServerKind } from './httpServer.js';

const RUNS = Number(process.env.BENCH_ADAPTER_RUNS ?? 8);
const REQUESTS = Number(process.env.BENCH_ADAPTER_REQUESTS ?? 15_000);
const WARM_UP = 20_000;
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
  /** Per round: the median of that round's differences. */
  perRun: number[];
  failures: number;
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Sends `amount` requests, every connection walking the cookies from `start`. */
async function send(server: BenchServer, cookies: readonly string[], start: number, amount = REQUESTS): Promise<number> {
  const order = [...cookies.slice(start), ...cookies.slice(0, start)];
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections: CONNECTIONS,
    amount,
    requests: order.map((cookie) => ({ method: 'GET', headers: { cookie } })),
  });
  return result.non2xx + result.errors + result.timeouts + Math.max(0, amount - result.requests.total);
}

/** Runs the adapters' slices and prints their table; returns each adapter's auth CPU per request (µs). */
export async function compareAdapters(input: AdapterPairsInput): Promise<Map<string, number>> {
  const loadBefore = os.loadavg();
  const cookies = input.cookies.slice(0, COOKIES);
  const runs: AdapterRun[] = ADAPTERS.map(({ name }) => ({ name, floor: [], auth: [], differences: [], perRun: [], failures: 0 }));
  const servers: BenchServer[] = [];
  /** Per round: the 1-minute load when it began and the node:http floor's median slice. */
  const rounds: { load: number; floor: number }[] = [];
  try {
    for (const [index, adapter] of ADAPTERS.entries()) {
      const init = { kind: adapter.kind, apiPort: input.apiPort, apiKey: input.apiKey, issuer: input.issuer, alternateEvery: SLICE };
      const server = await startServer(init, input.pinned);
      servers.push(server);
      (runs[index] as AdapterRun).failures += await visitAll(server, { cookies, next: 0 }, COOKIES * 4);
      (runs[index] as AdapterRun).failures += await send(server, cookies, 0, WARM_UP);
      await server.slices();
    }
    for (let round = 0; round < RUNS; round++) {
      const load = os.loadavg()[0] as number;
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
        if (index === 0) rounds.push({ load, floor: median(floor) });
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
  /** Per round: the adapter's median over the Node adapter's median of the same round. */
  const roundRatios = (run: AdapterRun) => run.perRun.map((value, i) => value / (node.perRun[i] as number));
  const x = (ratio: number) => `${ratio.toFixed(2)}x`;
  console.log(
    `\nAdapters: the server CPU auth adds per request, each adapter in a server process of its own (pinned as above) that ` +
      `alternates every ${SLICE} requests between the adapter and its stack's no-auth floor (node:http alone for the Node ` +
      `adapter, the Node↔Fetch bridge for the Fetch rows), timing each slice with the process's CPU time. Warm-up: every ` +
      `cookie, then ${WARM_UP.toLocaleString('en-US')} requests per adapter; then ${RUNS} rounds, each one run of ` +
      `${REQUESTS.toLocaleString('en-US')} requests per adapter (order reversed every other round), sent by autocannon as fast ` +
      `as answered over ${CONNECTIONS} keep-alive connection${CONNECTIONS === 1 ? '' : 's'}, ${COOKIES.toLocaleString('en-US')} ` +
      `cookies in turn (all cached). Auth CPU: the median over slice pairs of (adapter slice − mean of the floor slices ` +
      `either side), with the interquartile range of those differences; means: of all floor and adapter slices. Vs the Node ` +
      `adapter: the median over rounds of the ratio of the adapter's and the Node adapter's medians in the same round (runs ` +
      `seconds apart: the machine's load moves both alike), with the range over rounds and the ratio of the pooled medians`,
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
      'vs the Node adapter (median of rounds)',
      'rounds min – max',
      'pooled medians',
      'failures',
    ],
    runs.map((run) => {
      const ratios = roundRatios(run);
      return [
        run.name,
        `${mean(run.floor).toFixed(1)} / ${mean(run.auth).toFixed(1)}`,
        authCpu(run).toFixed(1),
        quartiles(run.differences),
        x(median(ratios)),
        `${x(Math.min(...ratios))} – ${x(Math.max(...ratios))}`,
        x(authCpu(run) / authCpu(node)),
        String(run.failures),
      ];
    }),
  );
  console.log(
    `\nper round, 1-min load / node:http floor µs/req / Node adapter's auth CPU µs/req: ` +
      rounds.map(({ load, floor }, i) => `${load.toFixed(1)} / ${floor.toFixed(1)} / ${(node.perRun[i] as number).toFixed(1)}`).join('; '),
  );
  return new Map(runs.map((run) => [run.name, authCpu(run)]));
}

/**
 * The table of bench/http.ts: per cell the medians of its rounds, their spread, the server's CPU against
 * its no-auth floor, and the ratio to the cell it is compared with.
 */
import type { ServerKind } from './httpServer.js';
import type { LoadResult } from './load.js';
import { median } from './measure.js';
import { printTable } from './table.js';

/** One row of the HTTP table: a server kind, its cookies, and what it is compared with. */
export interface Cell {
  name: string;
  kind: ServerKind;
  cookies: number;
  redis?: boolean;
  /** Row this cell is compared to (its ratio column). */
  versus?: string;
}

/** One timed run of a cell, with its Redis commands per request when it uses Redis. */
export type CellResult = LoadResult & { redisPerRequest?: number };

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

/** Prints the header lines and the table; returns the medians by cell name. */
export function printHttpReport(report: {
  cells: readonly Cell[];
  results: Map<string, CellResult[]>;
  header: readonly string[];
}): Map<string, CellResult> {
  const medians = new Map<string, CellResult>();
  /** Per cell: (max − min) / median of its rounds, for req/s and for CPU per request. */
  const spreads = new Map<string, string>();
  for (const [name, runs] of report.results) {
    const pick = (key: keyof LoadResult) => median(runs.map((r) => r[key]));
    const redisRuns = runs.map((r) => r.redisPerRequest).filter((n): n is number => n !== undefined);
    medians.set(name, {
      requests: pick('requests'),
      requestsPerSecond: pick('requestsPerSecond'),
      failures: runs.reduce((sum, r) => sum + r.failures, 0),
      cpuUsPerRequest: pick('cpuUsPerRequest'),
      p99Ms: pick('p99Ms'),
      driverBusy: pick('driverBusy'),
      ...(redisRuns.length ? { redisPerRequest: median(redisRuns) } : {}),
    });
    spreads.set(name, `${spread(runs.map((r) => r.requestsPerSecond))} / ${spread(runs.map((r) => r.cpuUsPerRequest))}`);
  }
  /** The no-auth floor: node:http answering without auth. */
  const floor = medians.get(report.cells.find((c) => c.kind === 'floor')?.name ?? '');
  /** CPU a request spends in authentication: the cell's CPU less the floor's. */
  const authCpu = (cell: Cell, m: LoadResult) => (cell.kind.startsWith('floor') ? 0 : m.cpuUsPerRequest - (floor?.cpuUsPerRequest ?? 0));
  const rows = report.cells.map((cell) => {
    const m = medians.get(cell.name) as CellResult;
    const versus = cell.versus ? medians.get(cell.versus) : undefined;
    let ratio = '';
    if (versus) {
      ratio =
        `${(m.requestsPerSecond / versus.requestsPerSecond).toFixed(1)}x req/s, ` +
        `${(versus.cpuUsPerRequest / m.cpuUsPerRequest).toFixed(1)}x req/s per core vs ${cell.versus}`;
    }
    return [
      cell.name,
      fmt(m.requestsPerSecond),
      m.cpuUsPerRequest.toFixed(1),
      fmt(1e6 / m.cpuUsPerRequest),
      floor ? `${(m.cpuUsPerRequest / floor.cpuUsPerRequest).toFixed(2)}x` : '',
      cell.kind.startsWith('floor') ? '' : authCpu(cell, m).toFixed(1),
      `${m.p99Ms}`,
      `${Math.round(m.driverBusy * 100)}%`,
      m.redisPerRequest === undefined ? '' : m.redisPerRequest.toFixed(2),
      spreads.get(cell.name) ?? '',
      String(m.failures),
      ratio,
    ];
  });
  for (const line of report.header) console.log(line);
  console.log(
    "req/s per core: 1,000,000 / server CPU µs per request, what one core of the server's could answer; autocannon busy: share of its core " +
      'the load generator used (near 100%: it, not the server, set the req/s; the per-core figure compares the servers then)',
  );
  console.log(
    'auth CPU: server CPU per request less that of the no-auth floor (the adapters are compared below, each against its own floor)\n',
  );
  printTable(
    [
      'server',
      'req/s',
      'server CPU µs/req',
      'req/s per core',
      'CPU vs floor',
      'auth CPU µs/req',
      'p99 ms',
      'autocannon busy',
      'Redis cmds/req',
      'spread req/s / CPU',
      'failures',
      'ratio',
    ],
    rows,
  );
  return medians;
}

/** (max − min) / median of a cell's rounds, as a percentage. */
function spread(values: number[]): string {
  const middle = median(values);
  return middle > 0 ? `${Math.round(((Math.max(...values) - Math.min(...values)) / middle) * 100)}%` : '–';
}

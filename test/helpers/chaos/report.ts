import { cpus } from 'node:os';
import type { ProxyStats } from '../faultProxy.js';
import type { FaultKind, WorkOSFaults } from './faults.js';
import type { MemoryRow, ServerCounters } from './memory.js';
import { quantile, type Logout, type Tally } from './tally.js';
import type { Phase, Timeline } from './timeline.js';

/** Everything a chaos run measured. */
export interface ChaosReport {
  options: { seconds: number; users: number; servers: number; seed: number };
  machine: string;
  requests: number;
  statuses: Record<string, number>;
  signIns: number;
  signInRetries: number;
  refresh: {
    /** Rotations: refresh grants WorkOS accepted. */
    accepted: number;
    /** Refresh grants WorkOS refused (a spent token presented again). */
    rejected: number;
    /** Refresh attempts a fault answered (never reached WorkOS); each forces a retry. */
    faulted: number;
    /** Extra spends of one refresh token at WorkOS, by what explains them (see `Tally.cause`). */
    doubleSpends: Record<string, number>;
  };
  workosCalls: number;
  faultsInjected: Record<FaultKind, number>;
  logouts: { signOut: number; revoked: number; spuriousInside: Logout[]; spuriousOutside: Logout[] };
  retryable: Record<string, number>;
  badGateway: number;
  exceptions: number;
  exceptionNotes: string[];
  latency: Record<Phase, { count: number; p50: number; p99: number }>;
  memory: MemoryRow[];
  replays: number;
  revokedServed: Tally['revokedServed'];
  windows: string[];
  events: Record<string, number>;
}

export interface RunData {
  options: ChaosReport['options'];
  tally: Tally;
  faults: WorkOSFaults;
  proxy: ProxyStats;
  badGateway: number;
  memory: MemoryRow[];
  servers: ServerCounters;
  timeline: Timeline;
}

export function summarize(data: RunData): ChaosReport {
  const { tally, faults, proxy, timeline } = data;
  const spends = faults.doubleSpends();
  const latency = {} as ChaosReport['latency'];
  for (const [phase, samples] of Object.entries(tally.latencies) as [Phase, number[]][]) {
    latency[phase] = { count: samples.length, p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
  }
  const cpu = cpus();
  return {
    options: data.options,
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`,
    requests: tally.requests,
    statuses: tally.statuses,
    signIns: tally.signIns,
    signInRetries: tally.signInRetries,
    refresh: {
      accepted: proxy.refreshAccepted,
      rejected: proxy.refreshRejected,
      faulted: proxy.refreshFaulted,
      doubleSpends: countBy(spends.map((at) => tally.cause(at).category)),
    },
    workosCalls: faults.calls,
    faultsInjected: faults.injected,
    logouts: {
      signOut: tally.logouts.filter((l) => l.cause === 'sign-out').length,
      revoked: tally.logouts.filter((l) => l.cause === 'revoked').length,
      spuriousInside: tally.spurious('inside'),
      spuriousOutside: tally.spurious('outside'),
    },
    retryable: tally.retryable,
    badGateway: data.badGateway,
    exceptions: tally.exceptions + data.servers.exceptions,
    exceptionNotes: [...tally.exceptionNotes, ...data.servers.notes],
    latency,
    memory: data.memory,
    replays: tally.replays,
    revokedServed: tally.revokedServed,
    windows: timeline.windows.map((w) => `${w.phase} ${timeline.seconds(w.from)}–${w.to === undefined ? '?' : timeline.seconds(w.to)} s`),
    events: data.servers.events,
  };
}

/** The report as printed by `npm run chaos`. */
export function formatReport(report: ChaosReport): string {
  const { refresh, logouts } = report;
  const perRotation = refresh.accepted > 0 ? (refresh.accepted + refresh.rejected + refresh.faulted) / refresh.accepted : 0;
  const lines = [
    `chaos: ${report.options.seconds} s, ${report.options.users} browsers, ${report.options.servers} servers, seed ${report.options.seed}`,
    `machine: ${report.machine}`,
    `scheduled faults: ${report.windows.join('; ')}`,
    `requests: ${report.requests} (${formatCounts(report.statuses)}); sign-ins ${report.signIns} (+${report.signInRetries} retried)`,
    `WorkOS calls: ${report.workosCalls}; faults injected: ${formatCounts(report.faultsInjected)}`,
    `refreshes at WorkOS: ${refresh.accepted} rotations, ${refresh.rejected} refused, ${refresh.faulted} answered by a fault;` +
      ` ${perRotation.toFixed(3)} calls per rotation; double spends: ${formatCounts(refresh.doubleSpends) || 'none'}`,
    `signed out: ${logouts.signOut} by sign-out, ${logouts.revoked} by revocation; spurious: ${logouts.spuriousOutside.length} outside / ${logouts.spuriousInside.length} inside Redis outages`,
    ...[...logouts.spuriousOutside, ...logouts.spuriousInside].map(
      (l) => `  spurious: browser ${l.browser} at ${l.second} s (${l.phase}): ${l.reason}; ${l.why ?? ''}`,
    ),
    `retryable answers: ${formatCounts(report.retryable) || 'none'} (502 from the balancer: ${report.badGateway})`,
    `exceptions: ${report.exceptions}${report.exceptionNotes.length ? ` (${report.exceptionNotes.slice(0, 5).join('; ')})` : ''}`,
    `revoked sessions served: ${report.revokedServed.length} (checked: ${report.replays} replays of revoked cookies, and every page after a revocation)`,
    ...report.revokedServed.map((r) => `  served: browser ${r.browser} at ${r.second} s (${r.phase}): ${r.how}; ${r.why}`),
    `server events: ${formatCounts(report.events)}`,
    '',
    '| phase | requests | p50 ms | p99 ms |',
    '| --- | --- | --- | --- |',
    ...Object.entries(report.latency).map(([phase, l]) => `| ${phase} | ${l.count} | ${l.p50} | ${l.p99} |`),
    '',
    '| process | heap start MiB | heap end MiB | RSS start MiB | RSS end MiB |',
    '| --- | --- | --- | --- | --- |',
    ...memoryRows(report.memory),
  ];
  return lines.join('\n');
}

function memoryRows(rows: MemoryRow[]): string[] {
  const names = [...new Set(rows.map((r) => r.process))];
  return names.map((name) => {
    const start = rows.find((r) => r.process === name && r.when === 'start');
    const end = rows.find((r) => r.process === name && r.when === 'end');
    const cell = (row: MemoryRow | undefined, key: 'heapMiB' | 'rssMiB') => (row ? String(row[key]) : '–');
    return `| ${name} | ${cell(start, 'heapMiB')} | ${cell(end, 'heapMiB')} | ${cell(start, 'rssMiB')} | ${cell(end, 'rssMiB')} |`;
  });
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}

import type { TestRedis } from '../redis.js';
import type { WorkerProcess } from '../workers.js';

/** Memory of one process at the start (after warm-up) or the end of the run. */
export interface MemoryRow {
  process: string;
  when: 'start' | 'end';
  /** Server and harness: V8 heap in use (servers after a full GC); redis-server: `used_memory`. */
  heapMiB: number;
  rssMiB: number;
}

/** What a server process reports (test/helpers/chaos/server.ts `stats`). */
export interface ServerStats {
  [field: string]: unknown;
  type: string;
  memory: NodeJS.MemoryUsage;
  exceptions: number;
  exceptionMessages: string[];
  events: Record<string, number>;
}

/** Counters of server processes that are gone (SIGKILLed), read just before they died. */
export interface ServerCounters {
  exceptions: number;
  notes: string[];
  events: Record<string, number>;
}

/** Adds a server's counters to a running total. */
export function addCounters(total: ServerCounters, stats: ServerStats): void {
  total.exceptions += stats.exceptions;
  total.notes.push(...stats.exceptionMessages);
  for (const [type, n] of Object.entries(stats.events)) total.events[type] = (total.events[type] ?? 0) + n;
}

/** Memory of the given servers (labelled), redis-server and this process. */
export async function snapshot(
  servers: { label: string; worker: WorkerProcess }[],
  redis: TestRedis | undefined,
  when: MemoryRow['when'],
): Promise<{ rows: MemoryRow[]; stats: ServerStats[] }> {
  const rows: MemoryRow[] = [];
  const stats: ServerStats[] = [];
  for (const { label, worker } of servers) {
    const reply = await worker.request<ServerStats>({ type: 'stats' });
    stats.push(reply);
    rows.push({ process: label, when, heapMiB: mib(reply.memory.heapUsed), rssMiB: mib(reply.memory.rss) });
  }
  if (redis) {
    const client = redis.client();
    try {
      const info = await client.info('memory');
      const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
      const rss = Number(/used_memory_rss:(\d+)/.exec(info)?.[1] ?? 0);
      rows.push({ process: 'redis-server', when, heapMiB: mib(used), rssMiB: mib(rss) });
    } finally {
      client.disconnect();
    }
    const self = process.memoryUsage();
    rows.push({ process: 'harness', when, heapMiB: mib(self.heapUsed), rssMiB: mib(self.rss) });
  }
  return { rows, stats };
}

function mib(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

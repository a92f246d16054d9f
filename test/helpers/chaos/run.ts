import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator.js';
import { FaultProxy } from '../faultProxy.js';
import { startRedis } from '../redis.js';
import { WorkerProcess } from '../workers.js';
import { RoundRobinBalancer } from './balancer.js';
import { SimBrowser } from './browser.js';
import { WorkOSFaults } from './faults.js';
import { addCounters, snapshot, type MemoryRow, type ServerCounters, type ServerStats } from './memory.js';
import { summarize, type ChaosReport } from './report.js';
import { Rng } from './rng.js';
import { Tally } from './tally.js';
import { Timeline } from './timeline.js';
import { outage, planActions, sleep } from './schedule.js';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  /** Length of the run, in seconds. */
  seconds: number;
  /** Simulated browsers. */
  users: number;
  /** Server processes behind the balancer. Default 4. */
  servers?: number;
  /** Seed of every random choice (bursts, intervals, faults, who signs out). Default 1. */
  seed?: number;
  /** Fraction of WorkOS calls answered by a fault. Default 0.05. */
  faultRate?: number;
  /** Real sign-outs and administrator revocations, each. Default 2 per minute (at least 2). */
  signOuts?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Access tokens of the emulator live 3600 s: refresh each one after ~10 s. */
const REFRESH_BUFFER_SECONDS = 3_590;
/** The emulator's token lifetime makes every refresh proactive; a hung WorkOS call gives up after this. */
const API_TIMEOUT_MS = 3_000;
/** Time after a repaired fault during which its after-effects are attributed to it. */
const SETTLE_MS = 6_000;

/**
 * The chaos soak: N server processes (Node adapter behind node:http) sharing a real redis-server, a
 * round-robin balancer without affinity in front, the WorkOS emulator behind the fault proxy, and simulated
 * browsers; faults on a schedule (Redis killed and restarted twice, frozen 3 s once, one server SIGKILLed
 * and restarted) and at random (a fraction of WorkOS calls). Loopback only; bounded by `seconds`.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 1;
  const durationMs = options.seconds * 1000;
  const rng = new Rng(seed);
  const em = await startEmulator();
  const proxy = await new FaultProxy(em.port).start();
  const redis = await startRedis();
  const init = {
    type: 'init',
    proxyPort: proxy.port,
    apiKey: em.apiKey,
    issuer: em.url,
    redisUrl: redis.url,
    refreshBufferSeconds: REFRESH_BUFFER_SECONDS,
    apiTimeoutMs: API_TIMEOUT_MS,
  };
  const servers: Server[] = [];
  const counters: ServerCounters = { exceptions: 0, notes: [], events: {} };
  const memory: MemoryRow[] = [];
  let balancer: RoundRobinBalancer | undefined;
  let tally: Tally | undefined;
  const startServer = async (label: string): Promise<number> => {
    const worker = new WorkerProcess(SERVER);
    worker.onNotice = (notice) => {
      if (notice.type === 'event') tally?.fallbacks.push({ server: label, event: String(notice.event), at: Number(notice.at) });
    };
    servers.push({ label, worker });
    return (await worker.request<{ type: string; port: number }>(init)).port;
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < (options.servers ?? 4); i++) ports.push(await startServer(`server ${i + 1}`));
    balancer = await new RoundRobinBalancer(ports).start();
    log(`${ports.length} servers, balancer on ${balancer.port}, redis on ${redis.port}, emulator behind fault proxy ${proxy.port}`);

    const startedAt = Date.now();
    const timeline = new Timeline(startedAt, SETTLE_MS);
    tally = new Tally(timeline);
    const faults = new WorkOSFaults(rng.fork(), options.faultRate ?? 0.05, Date.now);
    faults.install(proxy);
    const context = {
      base: `http://127.0.0.1:${balancer.port}`,
      tally,
      revoked: new Map<string, number>(),
      gapMs: [500, 5_000] as [number, number],
      deadline: startedAt + durationMs,
    };
    const browsers = Array.from({ length: options.users }, (_, i) => new SimBrowser(i, rng.fork(), context));
    const runs = browsers.map(async (browser, i) => {
      await sleep((i * 2_000) / browsers.length);
      await browser.run();
    });
    const at = (fraction: number) => sleep(Math.max(0, startedAt + fraction * durationMs - Date.now()));
    const releaser = setInterval(() => proxy.releaseHung(), 5_000);
    const redisDown = () =>
      outage(
        timeline,
        'redis down',
        log,
        () => redis.stop(),
        () => redis.restart(),
      );
    const schedule = async () => {
      const actions = planActions(rng.fork(), browsers, options.signOuts ?? Math.max(2, Math.round((2 * options.seconds) / 60)));
      const act = async (slot: number, from: number, to: number) => {
        for (const { fraction, browser, action } of actions.filter((a) => a.slot === slot)) {
          await at(from + fraction * (to - from));
          browser.action = action;
        }
      };
      const early = act(0, 0.08, 0.16);
      await at(0.1);
      memory.push(...(await snapshot(servers, redis, 'start')).rows);
      await at(0.25);
      await redisDown();
      await at(0.45);
      await outage(
        timeline,
        'redis frozen',
        log,
        async () => redis.signal('SIGSTOP'),
        async () => redis.signal('SIGCONT'),
      );
      await at(0.6);
      await redisDown();
      const late = act(1, 0.75, 0.88);
      await at(0.8);
      const index = rng.int(0, ports.length - 1);
      const victim = servers[index] as Server;
      const last = await snapshot([victim], undefined, 'end');
      memory.push(...last.rows);
      for (const row of memory) if (row.process === victim.label) row.process += ' (killed)';
      addCounters(counters, last.stats[0] as ServerStats);
      await outage(
        timeline,
        'server killed',
        log,
        () => victim.worker.kill(),
        async () => {
          servers.splice(index, 1);
          (balancer as RoundRobinBalancer).backends[index] = await startServer(`server ${index + 1} (restarted)`);
          memory.push(...(await snapshot(servers.slice(-1), undefined, 'start')).rows);
        },
      );
      await Promise.all([early, late]);
    };
    await Promise.all([...runs, schedule()]);
    clearInterval(releaser);
    const end = await snapshot(servers, redis, 'end');
    for (const stats of end.stats) addCounters(counters, stats);
    return summarize({
      options: { seconds: options.seconds, users: options.users, servers: ports.length, seed },
      tally: tally as Tally,
      faults,
      proxy: proxy.stats,
      badGateway: balancer.badGateway,
      memory: [...memory, ...end.rows],
      servers: counters,
      timeline,
    });
  } finally {
    await Promise.all(servers.map((s) => s.worker.stop()));
    await balancer?.close();
    await redis.stop();
    await proxy.close();
    await em.close();
  }
}

type Server = { label: string; worker: WorkerProcess };

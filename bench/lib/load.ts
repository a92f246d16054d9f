/**
 * The HTTP side of `npm run bench`: a server process per library (bench/lib/httpServer.ts) and autocannon
 * driving it with a rotating set of `Cookie` headers, measuring requests per second and the server's CPU
 * time per request. With {@link corePinning}, every server process runs on one core and this process (so
 * autocannon) on another: on a small machine the load generator and the server otherwise take turns on
 * the same cores, and each figure then depends on how the scheduler interleaved them.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { ServerInit } from './httpServer.js';
import type { SliceCpu } from './slices.js';

/** Cores for the HTTP part: `server` for every server process (all its threads), `driver` for autocannon. */
export interface Pinning {
  readonly taskset: string;
  readonly server: string;
  readonly driver: string;
}

/**
 * The cores to pin to (the server on the second core, autocannon on the first), or a reason not to: fewer
 * than two cores, no `taskset`, or BENCH_HTTP_PIN=0.
 */
export function corePinning(): Pinning | string {
  if (process.env.BENCH_HTTP_PIN === '0') return 'BENCH_HTTP_PIN=0';
  if (os.cpus().length < 2) return 'one core';
  const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((path) => existsSync(path));
  if (!taskset) return 'no taskset';
  return { taskset, server: '1', driver: '0' };
}

/** Sets this process's cores (every thread: autocannon, the emulator, libuv's pool); returns the previous list. */
export function pinSelf(pinning: Pinning, cores: string): string {
  const pid = String(process.pid);
  const before = execFileSync(pinning.taskset, ['-p', '-c', pid], { encoding: 'utf8' }).split(':').pop()?.trim() ?? '';
  execFileSync(pinning.taskset, ['-a', '-p', '-c', cores, pid], { stdio: 'ignore' });
  return before;
}

/** A running server process. */
export interface BenchServer {
  readonly port: number;
  usage(): Promise<{ cpuUs: number; rssBytes: number; heapBytes: number }>;
  /** With `alternateEvery`: the CPU per request of each slice since the last call (bench/lib/slices.ts). */
  slices(): Promise<SliceCpu>;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./httpServer.ts', import.meta.url));

/** Starts a server of `init.kind` in its own process; pinned, `taskset` starts it, so its threads are born there. */
export async function startServer(init: ServerInit, pinning?: Pinning): Promise<BenchServer> {
  // BENCH_HTTP_CPU_PROF=<dir>: each server process writes a V8 CPU profile there when it is closed.
  const profile = process.env.BENCH_HTTP_CPU_PROF;
  const execArgv = ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])];
  const child: ChildProcess = fork(entry, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(pinning ? { execPath: pinning.taskset, execArgv: ['-c', pinning.server, process.execPath, ...execArgv] } : { execArgv }),
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string } & T) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number | null) => reject(new Error(`bench server ${init.kind} exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = next<{ port: number }>('ready');
  child.send({ type: 'init', init });
  const { port } = await ready;
  return {
    port,
    usage: () => {
      const reply = next<{ cpuUs: number; rssBytes: number; heapBytes: number }>('usage');
      child.send({ type: 'usage' });
      return reply;
    },
    slices: () => {
      const reply = next<SliceCpu>('slices');
      child.send({ type: 'slices' });
      return reply;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One load run: throughput, non-2xx answers, and the server's CPU per request. */
export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  /** Answers other than 200, plus connection errors and timeouts. */
  failures: number;
  /** Server CPU time (user + system) per answered request, in microseconds. */
  cpuUsPerRequest: number;
  p99Ms: number;
  /** Share of one core that this process (autocannon) used meanwhile: near 1, the load generator set the pace. */
  driverBusy: number;
}

/** Where a cell's rotation of cookies stands: each run goes on from the cookie after the last one sent. */
export interface Rotation {
  readonly cookies: readonly string[];
  next: number;
}

/**
 * The `Host` header of the rotations' requests: the same for every server (none reads it), so one request's
 * bytes serve every server's runs and are built once.
 */
const HOST = 'localhost';
/** A rotation request's bytes up to its cookie, as autocannon builds them (see {@link rotating}). */
let head: string | undefined;
/** Each cookie's whole request (`head`, the cookie, the end of the headers), built once and reused by every run. */
const built = new Map<string, Buffer>();

/** The bytes of autocannon's GET of `/` carrying `cookie` (see {@link rotating}). */
function requestBytes(cookie: string): Buffer {
  let bytes = built.get(cookie);
  if (bytes === undefined) {
    bytes = Buffer.from(`${head}${cookie}\r\n\r\n`, 'latin1');
    built.set(cookie, bytes);
  }
  return bytes;
}

/**
 * autocannon options for a rotation: every request a connection writes carries the rotation's next cookie.
 * autocannon writes each request it sends as its connection's `getRequestBuffer()` (called once per write,
 * after the previous response on that connection); each connection's is replaced (`setupClient`) by one
 * that takes the rotation's next cookie's bytes, built once per cookie and kept for the next runs. The bytes
 * are autocannon's own: the head is the request autocannon built for a cookie, up to that cookie (which
 * must end it). So neither autocannon's generic builder per send (`setupRequest`: about a third of its CPU
 * per request) nor a per-response hook (`onResponse`, for which autocannon also copies every response's
 * headers into an object) runs: pinned to one core, autocannon, not a fast server, would set the req/s.
 */
function rotating(rotation: Rotation): Pick<autocannon.Options, 'requests' | 'setupClient'> {
  const probe = rotation.cookies[0] as string;
  return {
    requests: [{ method: 'GET', headers: { host: HOST, cookie: probe } }],
    setupClient(client) {
      const own = client as unknown as { getRequestBuffer(): Buffer };
      const first = own.getRequestBuffer().toString('latin1');
      const prefix = first.slice(0, first.length - probe.length - 4);
      if (first !== `${prefix}${probe}\r\n\r\n` || (head !== undefined && head !== prefix)) {
        throw new Error("bench: autocannon's request is not its head and cookie");
      }
      head = prefix;
      own.getRequestBuffer = () => requestBytes(rotation.cookies[rotation.next++ % rotation.cookies.length] as string);
    },
  };
}

/**
 * Drives `server` for `durationSeconds` with `connections` keep-alive connections, each request carrying the
 * rotation's next cookie (round robin, going on where the last run stopped, so each request carries the
 * cookie least recently sent); as fast as it answers.
 */
export async function drive(server: BenchServer, rotation: Rotation, durationSeconds: number, connections = 16): Promise<LoadResult> {
  const before = await server.usage();
  const driverBefore = process.cpuUsage();
  const sentBefore = rotation.next;
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections,
    duration: durationSeconds,
    ...rotating(rotation),
  });
  const driver = process.cpuUsage(driverBefore);
  const after = await server.usage();
  const answered = result.requests.total;
  sentAlong(rotation, sentBefore, answered);
  return {
    requests: answered,
    requestsPerSecond: answered / durationSeconds,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuUsPerRequest: answered > 0 ? (after.cpuUs - before.cpuUs) / answered : Number.NaN,
    p99Ms: result.latency.p99,
    driverBusy: (driver.user + driver.system) / (durationSeconds * 1e6),
  };
}

/** Sends `amount` requests (16 connections) along the rotation, as fast as the server answers: the warm-up. */
export async function visitAll(server: BenchServer, rotation: Rotation, amount: number, connections = 16): Promise<number> {
  const sentBefore = rotation.next;
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections: Math.min(connections, amount),
    amount,
    ...rotating(rotation),
  });
  sentAlong(rotation, sentBefore, result.requests.total);
  return result.non2xx + result.errors + result.timeouts;
}

/** Throws unless every answered request took the rotation's next cookie (each write advances it once). */
function sentAlong(rotation: Rotation, before: number, answered: number): void {
  if (rotation.next - before < answered) throw new Error('bench: requests were sent without taking the next cookie of the rotation');
}

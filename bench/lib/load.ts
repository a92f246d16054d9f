/**
 * The HTTP side of `npm run bench`: a server process per library (bench/lib/httpServer.ts) and autocannon
 * driving it with a rotating set of `Cookie` headers, measuring requests per second and the server's CPU
 * time per request.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { ServerInit } from './httpServer.js';

/** A running server process. */
export interface BenchServer {
  readonly port: number;
  usage(): Promise<{ cpuUs: number; rssBytes: number; heapBytes: number }>;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./httpServer.ts', import.meta.url));

/** Starts a server of `init.kind` in its own process. */
export async function startServer(init: ServerInit): Promise<BenchServer> {
  const child: ChildProcess = fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
}

/**
 * Drives `server` for `durationSeconds` with `connections` keep-alive connections, each request carrying
 * the next cookie of `cookies` (round robin); at `rate` requests per second when given, else as fast as it answers.
 */
export async function drive(
  server: BenchServer,
  cookies: readonly string[],
  durationSeconds: number,
  connections = 16,
  rate?: number,
): Promise<LoadResult> {
  let next = 0;
  const before = await server.usage();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections,
    duration: durationSeconds,
    ...(rate === undefined ? {} : { overallRate: rate }),
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.headers = { cookie: cookies[next++ % cookies.length] as string };
          return request;
        },
      },
    ],
  });
  const after = await server.usage();
  const answered = result.requests.total;
  return {
    requests: answered,
    requestsPerSecond: answered / durationSeconds,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuUsPerRequest: answered > 0 ? (after.cpuUs - before.cpuUs) / answered : Number.NaN,
    p99Ms: result.latency.p99,
  };
}

/** Sends each cookie once, `connections` at a time (a first pass: caches see every cookie). */
export async function visitAll(server: BenchServer, cookies: readonly string[], connections = 16): Promise<number> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections: Math.min(connections, cookies.length),
    amount: cookies.length,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.headers = { cookie: cookies[next++ % cookies.length] as string };
          return request;
        },
      },
    ],
  });
  return result.non2xx + result.errors + result.timeouts;
}

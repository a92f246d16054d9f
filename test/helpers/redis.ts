import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A redis-server of the test's own, on a free loopback port, with no persistence. */
export interface TestRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  restart(): Promise<void>;
  /** Sends a signal to the server (`SIGSTOP` freezes it, `SIGCONT` resumes it). */
  signal(signal: NodeJS.Signals): void;
  /** A plain ioredis client for looking at keys (connection errors ignored while the server is down). */
  client(): Redis;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends PING over a raw socket; true on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function launch(port: number): ChildProcess {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  return child;
}

async function waitUntilUp(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('redis-server did not start within 5 s');
}

/** Starts `redis-server --port N --save '' --appendonly no` (Debian's package, see scripts/setup-system.sh). */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child = launch(port);
  await waitUntilUp(port, child);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      child = launch(port);
      await waitUntilUp(port, child);
    },
    signal(signal) {
      child.kill(signal);
    },
    client() {
      const client = new Redis(port, '127.0.0.1');
      client.on('error', () => undefined);
      return client;
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free loopback port: bound on 0, read, released (the app must know its port for its redirect URI). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface AppProcess {
  origin: string;
  /** Everything the app wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts one of the example apps as a user runs it: its own Node process (TypeScript through tsx), configured
 * only by `env(origin)` (the WORKOS_* variables of the parent are removed) and `PORT`. Resolves when it prints
 * `Listening on`; rejects when it exits first or after `timeoutMs`.
 */
export async function startApp(file: string, env: (origin: string) => Record<string, string>, timeoutMs = 20_000): Promise<AppProcess> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('WORKOS_')));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...inherited, ...env(origin), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = (): void => {
      if (!output.includes('Listening on')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before listening:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    child.kill();
    await exited;
    throw error;
  });
  return {
    origin,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}

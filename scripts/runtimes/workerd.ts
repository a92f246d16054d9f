import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Compatibility date of the test worker; no compatibility flags (the library must not need `nodejs_compat`). */
export const COMPATIBILITY_DATE = '2025-01-01';

/**
 * Bundles `entry` (a module with `export default { fetch }`) the way Wrangler would for Workers: ESM, the
 * `workerd`/`worker`/`browser` export conditions (the package resolves to its runtime-agnostic entry,
 * `@workos-inc/node` to its worker build), everything inlined.
 */
export async function bundleWorker(entry: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'worker.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'error',
  });
  return outfile;
}

/** A workerd config serving the bundled worker on `port`, with outbound access to loopback (the emulator). */
export function workerdConfig(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .testWorker),
    # The default outbound network refuses private and loopback addresses; the emulator is on localhost.
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const testWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  globalOutbound = "loopback",
);
`;
}

/** A workerd serving the bundled worker on a loopback port; `log` is its output so far. */
export interface RunningWorkerd {
  readonly url: string;
  /** Process id of workerd (to read its CPU time). */
  readonly pid: number | undefined;
  log(): string;
  close(): Promise<void>;
}

/**
 * Starts workerd on the worker bundled into `outDir` and waits until it answers.
 * @throws Error when workerd exits or does not listen within `timeoutMs` (with its output).
 */
export async function startWorkerd(workerd: string, outDir: string, timeoutMs: number): Promise<RunningWorkerd> {
  const port = await freePort();
  const configPath = join(outDir, 'config.capnp');
  writeFileSync(configPath, workerdConfig(port));
  const child = spawn(workerd, ['serve', configPath], { cwd: outDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running: RunningWorkerd = {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid,
    log: () => log,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
      const ready = await fetch(running.url).then(
        () => true,
        () => false,
      );
      if (ready) return running;
      if (Date.now() > deadline) throw new Error('workerd did not start listening');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await running.close();
    throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
  }
}

/** POSTs `input` as JSON to a running worker and returns its parsed JSON answer. */
export async function postJson(running: RunningWorkerd, input: unknown, timeoutMs: number): Promise<unknown> {
  const response = await fetch(running.url, {
    method: 'POST',
    body: JSON.stringify(input),
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`worker answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}

/**
 * Runs the bundled worker in workerd, POSTs `input` to it and returns the parsed JSON answer. workerd's own
 * output is returned too, for the failure report.
 */
export async function runInWorkerd(
  workerd: string,
  outDir: string,
  input: unknown,
  timeoutMs: number,
): Promise<{ body: unknown; log: string }> {
  const started = Date.now();
  const running = await startWorkerd(workerd, outDir, timeoutMs);
  try {
    const body = await postJson(running, input, Math.max(1000, started + timeoutMs - Date.now()));
    return { body, log: running.log() };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${running.log()}`, { cause: error });
  } finally {
    await running.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

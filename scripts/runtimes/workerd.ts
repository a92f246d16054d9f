import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Compatibility date of the test worker; no compatibility flags (the library must not need `nodejs_compat`). */
const COMPATIBILITY_DATE = '2025-01-01';

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
  const port = await freePort();
  const configPath = join(outDir, 'config.capnp');
  writeFileSync(configPath, workerdConfig(port));
  const child = spawn(workerd, ['serve', configPath], { cwd: outDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
      const ready = await fetch(url).then(
        () => true,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error('workerd did not start listening');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const response = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(input),
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`worker answered ${response.status}: ${text.slice(0, 500)}`);
    return { body: JSON.parse(text) as unknown, log };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
  } finally {
    child.kill('SIGTERM');
    await exited;
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

/**
 * `npm run test:runtimes`: builds the package, then runs the runtime-agnostic core suite
 * (test/runtimes/checks.mjs) on Node 20 (this process's node), Node 24, Bun, Deno and workerd, against one
 * WorkOS emulator running here in Node, and prints a pass/fail table. Exits non-zero when any check fails.
 *
 * Node seals the sessions each runtime reads (the package's `node` entry, `node:crypto` backend) and opens the
 * seal each runtime makes (WebCrypto backend elsewhere), so both directions of the wire format are covered.
 * The runtimes are installed from npm into `.runtimes/` on first use (see scripts/runtimes/install.ts).
 * `npm run test:runtimes -- --verbose` prints every check's detail.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FetchSessionStorage } from '../src/adapters/fetch.js';
import { createAuthService, sessionEncryption, type AuthService } from '../src/index.node.js';
import { CLIENT_ID, COOKIE_PASSWORD, configFor, DEMO_EMAIL, REDIRECT_URI, startEmulator } from '../test/helpers/emulator.js';
import { ensureRuntimes, versionOf } from './runtimes/install.js';
import { formatTable, rowPassed, type RuntimeRow } from './runtimes/table.js';
import { bundleWorker, runInWorkerd } from './runtimes/workerd.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const programDir = join(root, 'test', 'runtimes');
const workDir = join(root, '.runtimes', 'work');
const TIMEOUT_MS = 60_000;
const log = (line: string): void => console.log(`  ${line}`);
/** `--verbose`: print every check's detail and duration. */
const verbose = process.argv.includes('--verbose');

interface ProgramOutput {
  entry: string;
  checks: Record<string, { ok: boolean; detail: string; ms: number }>;
  sealedHere: string | null;
}

const started = Date.now();
console.log('runtime matrix');
const [binaries] = await Promise.all([ensureRuntimes(root, log), buildPackage()]);
const workerBundle = await bundleWorker(join(programDir, 'worker.mjs'), workDir);
log(`bundled the worker: ${workerBundle.slice(root.length + 1)}`);

const emulator = await startEmulator();
const rows: RuntimeRow[] = [];
try {
  const service = createAuthService<Request, Response>({
    config: configFor(emulator.port, emulator.apiKey),
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
  });
  const denoFlags = [
    'run',
    '--no-prompt',
    '--no-lock',
    '--allow-read',
    `--allow-net=localhost:${emulator.port}`,
    '--allow-env=AUTHKIT_RUNTIME_INPUT',
  ];
  const runtimes: { name: string; binary: string; run: (input: unknown) => Promise<unknown> }[] = [
    { name: 'Node 20', binary: process.execPath, run: (input) => runCli(process.execPath, [], input) },
    { name: 'Node 24', binary: binaries.node24, run: (input) => runCli(binaries.node24, [], input) },
    { name: 'Bun', binary: binaries.bun, run: (input) => runCli(binaries.bun, ['run'], input) },
    { name: 'Deno', binary: binaries.deno, run: (input) => runCli(binaries.deno, denoFlags, input) },
    {
      name: 'workerd',
      binary: binaries.workerd,
      run: async (input) => (await runInWorkerd(binaries.workerd, workDir, input, TIMEOUT_MS)).body,
    },
  ];
  for (const runtime of runtimes) {
    const t0 = Date.now();
    const version = await versionOf(runtime.binary).catch((error: unknown) => `? (${(error as Error).message})`);
    const nodeSealValue = { sealedBy: 'node', at: Date.now(), list: ['a', 'b'], text: 'ünïcødé ✓' };
    const input = {
      apiPort: emulator.port,
      apiKey: emulator.apiKey,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      cookiePassword: COOKIE_PASSWORD,
      email: DEMO_EMAIL,
      nodeSeal: await sessionEncryption.sealData(nodeSealValue, { password: COOKIE_PASSWORD }),
      nodeSealValue,
      sessionCookie: await signIn(service),
      refreshCookie: await signIn(service),
    };
    let output: ProgramOutput | undefined;
    let error: string | undefined;
    try {
      output = (await runtime.run(input)) as ProgramOutput;
    } catch (failure) {
      error = (failure as Error).message;
    }
    const nodeReads = await nodeOpens(output?.sealedHere ?? null);
    rows.push({
      runtime: runtime.name,
      version,
      entry: output?.entry ?? '?',
      checks: output?.checks ?? {},
      nodeReads,
      error,
      ms: Date.now() - t0,
    });
    if (verbose)
      for (const [name, result] of Object.entries(output?.checks ?? {})) log(`${runtime.name} ${name}: ${result.detail} (${result.ms} ms)`);
  }
} finally {
  await emulator.close();
}

console.log(formatTable(rows));
const failed = rows.filter((row) => !rowPassed(row));
console.log(`${rows.length - failed.length} of ${rows.length} runtimes passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed.length ? 1 : 0);

/** `npm run build`: the runtimes load the package from dist/ by its own name. */
async function buildPackage(): Promise<void> {
  const t0 = Date.now();
  await run('npm', ['run', 'build', '--silent'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  log(`built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Runs test/runtimes/cli.mjs with `binary`; the input goes in an environment variable, the result is its last stdout line. */
async function runCli(binary: string, args: string[], input: unknown): Promise<unknown> {
  try {
    const { stdout } = await run(binary, [...args, join(programDir, 'cli.mjs')], {
      cwd: root,
      timeout: TIMEOUT_MS,
      env: { ...process.env, AUTHKIT_RUNTIME_INPUT: JSON.stringify(input), NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const last = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(last) as unknown;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error([(error as Error).message.split('\n')[0], stdout, stderr].filter(Boolean).join('\n'), { cause: error });
  }
}

/** Node opening the seal another runtime made (the other direction of the wire format). */
async function nodeOpens(sealed: string | null): Promise<{ ok: boolean; detail: string }> {
  if (!sealed) return { ok: false, detail: 'no seal came back' };
  try {
    const value = await sessionEncryption.unsealData<{ runtime?: string }>(sealed, { password: COOKIE_PASSWORD });
    return value.runtime === 'here' ? { ok: true, detail: 'opened' } : { ok: false, detail: `unexpected value ${JSON.stringify(value)}` };
  } catch (error) {
    return { ok: false, detail: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Signs the demo user in through the emulator's hosted flow; returns the sealed session cookie value. */
async function signIn(service: AuthService<Request, Response>): Promise<string> {
  const authorize = await fetch(await service.getSignInUrl({ loginHint: DEMO_EMAIL }), { redirect: 'manual' });
  const location = authorize.headers.get('location');
  if (authorize.status !== 302 || !location) throw new Error(`authorize answered ${authorize.status}`);
  const callback = new URL(location);
  const result = await service.handleCallback(new Request(callback), new Response(null, { status: 302 }), {
    code: callback.searchParams.get('code') ?? '',
    state: callback.searchParams.get('state') ?? undefined,
  });
  const header = result.response?.headers.getSetCookie().find((cookie) => cookie.startsWith('wos-session=')) ?? '';
  const value = decodeURIComponent(header.slice('wos-session='.length).split(';')[0] ?? '');
  if (!value) throw new Error('the callback set no session cookie');
  return value;
}

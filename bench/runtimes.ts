/**
 * The runtime rows of `npm run bench`: the workload of bench/runtime/workload.mjs run once per runtime, this
 * package and @workos/authkit-session 0.7.1 side by side in each. Node, Bun and Deno run
 * bench/runtime/program.mjs, timed inside the runtime; workerd runs bench/runtime/worker.mjs bundled the way
 * Wrangler would (the package's runtime-agnostic WebCrypto entry), one step per request, timed from here
 * because workerd's clock stands still while a request computes. The runtimes come from
 * scripts/runtimes/install.ts (installed from npm into .runtimes/ on first use); the package is built first so
 * each runtime loads dist/ through its own export condition.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureRuntimes, versionOf } from '../scripts/runtimes/install.js';
import { bundleWorker, COMPATIBILITY_DATE, postJson, startWorkerd } from '../scripts/runtimes/workerd.js';
import { CLIENT_ID, COOKIE_PASSWORD, REDIRECT_URI } from '../test/helpers/emulator.js';
import { printTable } from './lib/table.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const program = join(root, 'bench', 'runtime', 'program.mjs');
const worker = join(root, 'bench', 'runtime', 'worker.mjs');
const TIMEOUT_MS = 300_000;
/** BENCH_RUNTIMES (e.g. `deno,workerd`) runs only the runtimes named; unset, all of them. */
const only = process.env.BENCH_RUNTIMES?.toLowerCase().split(',');
const selected = (name: string) => !only || only.includes(name.toLowerCase());

interface ProgramOutput {
  entry: string;
  rows: Record<'ours' | 'anchor', { firstSight: number; repeated: number; failures: number }>;
  /** workerd: ops/s of the WebCrypto calls alone of a first sight (bench/runtime/floor.mjs). */
  floor?: { opsPerSecond: number; failures: number };
  /** workerd: CPU time of the workerd process per call (µs) of each first-sight step, where /proc tells it. */
  cpu?: { ours: number; anchor: number; floor: number };
}

/** Runs the program in every runtime and prints the table. */
export async function runRuntimeBench(apiPort: number, apiKey: string, issuer: string, session: unknown): Promise<void> {
  await run('npm', ['run', 'build', '--silent'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const binaries = await ensureRuntimes(root, () => undefined);
  const input = {
    apiPort,
    apiKey,
    issuer,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    cookiePassword: COOKIE_PASSWORD,
    session,
    calls: { ours: { repeated: 100_000, firstSight: 5_000 }, anchor: { repeated: 1_000, firstSight: 1_000 } },
  };
  const deno = ['run', '--no-prompt', '--no-lock', '--allow-read', `--allow-net=localhost:${apiPort}`, '--allow-env'];
  const runtimes: [string, string, string[]][] = [
    ['Node', process.execPath, []],
    ['Bun', binaries.bun, ['run']],
    ['Deno', binaries.deno, deno],
  ];
  const rows: string[][] = [];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const row = (name: string, out: ProgramOutput) => {
    const { ours, anchor } = out.rows;
    return [
      name,
      out.entry,
      `${fmt(ours.firstSight)} / ${fmt(anchor.firstSight)}`,
      `${(ours.firstSight / anchor.firstSight).toFixed(1)}x`,
      `${fmt(ours.repeated)} / ${fmt(anchor.repeated)}`,
      `${(ours.repeated / anchor.repeated).toFixed(1)}x`,
      String(ours.failures + anchor.failures),
    ];
  };
  for (const [name, binary, args] of runtimes) {
    if (!selected(name)) continue;
    const version = await versionOf(binary).catch(() => '?');
    try {
      const { stdout } = await run(binary, [...args, program], {
        cwd: root,
        timeout: TIMEOUT_MS,
        env: { ...process.env, AUTHKIT_RUNTIME_INPUT: JSON.stringify(input), NO_COLOR: '1' },
        maxBuffer: 16 * 1024 * 1024,
      });
      rows.push(row(`${name} ${version}`, JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ProgramOutput));
    } catch (error) {
      rows.push([`${name} ${version}`, 'failed', (error as Error).message.split('\n')[0] ?? '', '', '', '', '']);
    }
  }
  let floor = '';
  if (selected('workerd')) {
    const version = await versionOf(binaries.workerd).catch(() => '?');
    try {
      const out = await runInWorkerd(binaries.workerd, input);
      rows.push(row(`workerd ${version}`, out));
      if (out.floor) floor = floorLine(out.floor, out.rows.anchor.firstSight);
      if (out.cpu) floor += `\n\n${cpuLine(out.cpu)}`;
    } catch (error) {
      rows.push([`workerd ${version}`, 'failed', (error as Error).message.split('\n')[0] ?? '', '', '', '', '']);
    }
  }
  console.log('\nRuntimes, function level (withAuth through a Fetch storage, one run per runtime), this package / 0.7.1 ops/s:\n');
  if (selected('workerd'))
    console.log(
      `workerd: both libraries bundled as Wrangler would, compatibility date ${COMPATIBILITY_DATE}, no compatibility flags. With\n` +
        'nodejs_compat a Worker loads the same WebCrypto entry (the package does not use node:crypto there: not faster, see README).\n',
    );
  printTable(['runtime', 'entry loaded', 'first sight', 'ratio', 'repeated cookie', 'ratio', 'failures'], rows);
  if (floor) console.log(`\n${floor}`);
}

/** What the WebCrypto calls alone allow on workerd: the most any WebCrypto withAuth could be over 0.7.1 on first sight. */
function floorLine(floor: { opsPerSecond: number; failures: number }, anchorFirstSight: number): string {
  const us = (opsPerSecond: number) => (1_000_000 / opsPerSecond).toFixed(1);
  return [
    `workerd, the WebCrypto calls alone of a first sight (bench/runtime/floor.mjs: two PBKDF2 deriveKey, the HMAC check, the AES-CBC`,
    `decryption and JSON.parse, the RS256 check; inputs decoded and keys imported beforehand): ${us(floor.opsPerSecond)} us per cookie`,
    `(${Math.round(floor.opsPerSecond).toLocaleString('en-US')} ops/s, ${floor.failures} failures) against 0.7.1's first sight ${us(anchorFirstSight)} us:`,
    `no WebCrypto withAuth can pass ${(floor.opsPerSecond / anchorFirstSight).toFixed(1)}x 0.7.1 on first sight here.`,
  ].join('\n');
}

/** The workerd first sights by CPU time, less exposed to a busy machine than the wall clock of one step. */
function cpuLine(cpu: { ours: number; anchor: number; floor: number }): string {
  return [
    `workerd by CPU time (the workerd process's, all its threads, per call; one step's wall clock swings with a busy machine):`,
    `first sight ${cpu.ours.toFixed(1)} us, 0.7.1 ${cpu.anchor.toFixed(1)} us (${(cpu.anchor / cpu.ours).toFixed(1)}x), the WebCrypto calls alone ${cpu.floor.toFixed(1)} us (at most ${(cpu.anchor / cpu.floor).toFixed(1)}x).`,
  ].join('\n');
}

/** CPU time used so far by process `pid`, all its threads, in nanoseconds (Linux /proc); `undefined` elsewhere. */
function cpuNs(pid: number | undefined): number | undefined {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.reduce((sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]), 0);
  } catch {
    return undefined;
  }
}

/** The workload in workerd: each step one request, timed here (the worker's clock stands still while it computes). */
async function runInWorkerd(workerd: string, input: { calls: Record<'ours' | 'anchor', unknown> }): Promise<ProgramOutput> {
  const dir = join(root, '.runtimes', 'bench');
  await bundleWorker(worker, dir);
  const running = await startWorkerd(workerd, dir, 60_000);
  try {
    const step = async (body: object) => {
      const cpuBefore = cpuNs(running.pid);
      const started = performance.now();
      const result = (await postJson(running, body, TIMEOUT_MS)) as { calls: number; failures: number };
      const opsPerSecond = (result.calls / (performance.now() - started)) * 1000;
      const cpuAfter = cpuNs(running.pid);
      const cpuUs = cpuBefore === undefined || cpuAfter === undefined ? NaN : (cpuAfter - cpuBefore) / 1000 / result.calls;
      return { opsPerSecond, failures: result.failures, cpuUs };
    };
    await step({ step: 'init', input });
    const rows = {} as ProgramOutput['rows'];
    const cpu = { ours: NaN, anchor: NaN, floor: NaN };
    for (const library of ['ours', 'anchor'] as const) {
      await step({ step: 'prepare', library });
      const first = await step({ step: 'firstSight', library });
      const again = await step({ step: 'repeated', library });
      rows[library] = { firstSight: first.opsPerSecond, repeated: again.opsPerSecond, failures: first.failures + again.failures };
      cpu[library] = first.cpuUs;
    }
    await step({ step: 'prepareFloor' });
    const floor = await step({ step: 'floor' });
    cpu.floor = floor.cpuUs;
    return { entry: 'index.js (bundled)', rows, floor, ...(Number.isNaN(cpu.ours + cpu.anchor + cpu.floor) ? {} : { cpu }) };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${running.log()}`, { cause: error });
  } finally {
    await running.close();
  }
}

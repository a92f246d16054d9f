/**
 * The runtime rows of `npm run bench`: bench/runtime/program.mjs run once per runtime (Node, Bun, Deno),
 * this package and @workos/authkit-session 0.7.1 side by side in each, timed inside the runtime. The
 * runtimes come from scripts/runtimes/install.ts (installed from npm into .runtimes/ on first use); the
 * package is built first so each runtime loads dist/ through its own export condition.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureRuntimes, versionOf } from '../scripts/runtimes/install.js';
import { CLIENT_ID, COOKIE_PASSWORD, REDIRECT_URI } from '../test/helpers/emulator.js';
import { printTable } from './lib/table.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const program = join(root, 'bench', 'runtime', 'program.mjs');

interface ProgramOutput {
  entry: string;
  rows: Record<'ours' | 'anchor', { firstSight: number; repeated: number; failures: number }>;
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
  for (const [name, binary, args] of runtimes) {
    const version = await versionOf(binary).catch(() => '?');
    try {
      const { stdout } = await run(binary, [...args, program], {
        cwd: root,
        timeout: 300_000,
        env: { ...process.env, AUTHKIT_RUNTIME_INPUT: JSON.stringify(input), NO_COLOR: '1' },
        maxBuffer: 16 * 1024 * 1024,
      });
      const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ProgramOutput;
      const { ours, anchor } = out.rows;
      const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
      rows.push([
        `${name} ${version}`,
        out.entry,
        `${fmt(ours.firstSight)} / ${fmt(anchor.firstSight)}`,
        `${(ours.firstSight / anchor.firstSight).toFixed(1)}x`,
        `${fmt(ours.repeated)} / ${fmt(anchor.repeated)}`,
        `${(ours.repeated / anchor.repeated).toFixed(1)}x`,
        String(ours.failures + anchor.failures),
      ]);
    } catch (error) {
      rows.push([`${name} ${version}`, 'failed', (error as Error).message.split('\n')[0] ?? '', '', '', '', '']);
    }
  }
  console.log('\nRuntimes, function level (withAuth through a Fetch storage, one run per runtime), this package / 0.7.1 ops/s:\n');
  printTable(['runtime', 'entry loaded', 'first sight', 'ratio', 'repeated cookie', 'ratio', 'failures'], rows);
}

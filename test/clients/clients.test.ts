import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRuntimes } from '../../scripts/runtimes/install.js';
import { DEMO_EMAIL, envFor, startEmulator, type TestEmulator } from '../helpers/emulator.js';
// @ts-expect-error plain ESM script without types
import { prepareClients } from './setup.mjs';

const run = promisify(execFile);

interface StepReport {
  name: string;
  ok: boolean;
  detail: unknown;
  errors: string[];
}

const STEPS = [
  'sign-in URL',
  'authorize',
  'callback',
  'authenticated request',
  'refresh of an expired token',
  'organization switch',
  'sign-out',
  'callback with a forged state',
];

/**
 * The published TanStack Start SDKs, installed from npm with @workos/authkit-session resolved to this package
 * (and once to upstream 0.7.1 as a control), each loaded in a plain Node child process and driven through its
 * own middleware and server functions against the emulator. 0.5.0 runs on Node 20 with @workos-inc/node 8;
 * 0.11.1 on Node 24 with @workos-inc/node 10.
 */
describe('published clients', () => {
  let em: TestEmulator;
  let dirs: Record<string, string>;
  let node24: string;

  beforeAll(async () => {
    [em, dirs, node24] = await Promise.all([
      startEmulator(),
      prepareClients(),
      ensureRuntimes(join(import.meta.dirname, '..', '..'), () => {}).then((b) => b.node24),
    ]);
  }, 600_000);
  afterAll(async () => {
    await em?.close();
  });

  async function drive(client: string, node: string): Promise<StepReport[]> {
    const env = {
      PATH: process.env.PATH ?? '',
      ...envFor(em.port, em.apiKey),
      CLIENT_ORG_ID: em.orgs.Globex as string,
      CLIENT_LOGIN_HINT: DEMO_EMAIL,
    };
    const { stdout } = await run(node, ['drive.mjs'], { cwd: dirs[client], env, timeout: 60_000 });
    return (JSON.parse(stdout.trim().split('\n').pop() as string) as { steps: StepReport[] }).steps;
  }

  function expectEveryStep(steps: StepReport[]): void {
    const failed = steps.filter((s) => !s.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(steps.map((s) => s.name)).toEqual(STEPS);
  }

  it('0.11.1 (0.7 API) with upstream 0.7.1: the control passes every step', async () => {
    expectEveryStep(await drive('tanstack-0.11.1-upstream', node24));
  }, 90_000);

  it('0.11.1 (0.7 API) with this package passes every step, one Set-Cookie per session write', async () => {
    const steps = await drive('tanstack-0.11.1', node24);
    expectEveryStep(steps);
    expect(steps.find((s) => s.name === 'callback')?.detail).toMatchObject({ location: '/dashboard', sessionSetCookies: 1 });
    expect(steps.find((s) => s.name === 'authenticated request')?.detail).toMatchObject({ setCookies: 0 });
    expect(steps.find((s) => s.name === 'sign-in URL')?.detail).toMatchObject({ verifierCookies: 1 });
  }, 90_000);

  it('@workos/authkit-sveltekit 0.3.0 type definitions compile against this package (skipLibCheck off)', async () => {
    const tsc = join(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.sveltekit.json'], { cwd: dirs['sveltekit-0.3.0'] }).then(
      () => 'compiled',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('compiled');
  }, 90_000);

  it('0.5.0 (0.3.4 API) with this package on @workos-inc/node 8 passes every step', async () => {
    const steps = await drive('tanstack-0.5.0', process.execPath);
    expectEveryStep(steps);
    // 0.5.0 reads the return path from the state itself (the 0.3.4 format): the unbound state carries it.
    expect(steps.find((s) => s.name === 'callback')?.detail).toMatchObject({ location: '/dashboard', sessionSetCookies: 1 });
  }, 90_000);
});

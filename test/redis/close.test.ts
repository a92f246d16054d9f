import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useEmulatorAndRedis } from '../helpers/useRedis.js';
import { makeService } from '../helpers/service.js';

const FIXTURE = fileURLToPath(new URL('./exitFixture.ts', import.meta.url));
/** Far beyond what the script needs: reaching it means the process was held open. */
const HELD_OPEN_MS = 20_000;

const ctx = useEmulatorAndRedis();

/** Client connections Redis has, this test's own included. */
async function connections(): Promise<number> {
  return String(await ctx.admin.call('CLIENT', 'LIST'))
    .trim()
    .split('\n').length;
}

/** Runs the exit fixture with `env` added; resolves with its output, exit code and signal (SIGKILL when held open). */
async function runFixture(
  env: Record<string, string> = {},
): Promise<{ output: string; code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, EMULATOR_PORT: String(ctx.em.port), WORKOS_API_KEY: ctx.em.apiKey, REDIS_URL: ctx.redis.url, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), HELD_OPEN_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(killer);
  return { output, code, signal };
}

/** Waits (up to 2 s) until Redis reports `predicate` of its connection count; returns the last count. */
async function settleConnections(predicate: (count: number) => boolean): Promise<number> {
  let count = await connections();
  for (let i = 0; i < 100 && !predicate(count); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    count = await connections();
  }
  return count;
}

describe('a service configured with redisUrl', () => {
  it('lets a script exit by itself once its work is done', async () => {
    const { output, code, signal } = await runFixture();
    expect(output.trim()).toBe('done');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(await ctx.admin.zscore('authkit:revocations', 'session_exit_fixture')).not.toBeNull();
  });

  it('in server mode, lets a script exit by itself too (the session store connection never holds it open)', async () => {
    const { output, code, signal } = await runFixture({ SESSION_MODE: 'server' });
    expect(output.trim()).toBe('done');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(await ctx.admin.zscore('authkit:revocations', 'session_exit_fixture')).not.toBeNull();
  });

  it('close() releases the connections it opened', async () => {
    const before = await connections();
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { issuer: ctx.em.url, redisUrl: ctx.redis.url });
    await service.signOut('session_close');
    // Commands, and one subscriber per feed (revocations, marks).
    const opened = await settleConnections((count) => count >= before + 3);
    expect(opened).toBe(before + 3);
    await service.close();
    expect(await settleConnections((count) => count <= before)).toBe(before);
  });

  it('in server mode, close() releases the session store connection too', async () => {
    const before = await connections();
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { issuer: ctx.em.url, redisUrl: ctx.redis.url, sessionMode: 'server' });
    await service.signOut('session_close_server');
    // Commands, one subscriber per feed (revocations, marks), and the session store's own connection.
    const opened = await settleConnections((count) => count >= before + 4);
    expect(opened).toBe(before + 4);
    await service.close();
    expect(await settleConnections((count) => count <= before)).toBe(before);
  });
});

/**
 * One "server instance" for the multi-process Redis tests, driven by the parent over IPC (see
 * test/helpers/workers.ts). Commands:
 *   init    builds a fresh AuthService pointed at the fault proxy, coordinating through Redis either from
 *           `redisUrl` (the lazy store createAuthService builds) or an explicit createRedisCoordinationStore
 *   storm   fires `calls` withAuth calls with one cookie (`spacingMs` apart, default all at once); replies with the tally and the events
 *   signOut service.signOut(sessionId)
 *   auth    fires `calls` concurrent withAuth calls with one cookie; replies with each outcome (role, permissions or reason)
 * Notice `refresh-sent` when this process sends a refresh-token grant (so the parent can kill it mid-refresh).
 */
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import type { AuthKitEvent } from '../../src/core/events.js';
import { createRedisCoordinationStore } from '../../src/redis/index.js';
import type { AuthService } from '../../src/service/AuthService.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { storm } from '../helpers/storm.js';
import { reportCrashes } from '../helpers/workers.js';

export interface InitCommand {
  type: 'init';
  port: number;
  apiKey: string;
  issuer: string;
  redisUrl: string;
  via: 'redisUrl' | 'store';
  /** Added to Date.now() by the service's clock, in milliseconds. */
  clockOffsetMs?: number;
  config?: Record<string, unknown>;
  coordinationTimeoutMs?: number;
  maxRetryWaitMs?: number;
}

reportCrashes();

let service: AuthService<Request, Response> | undefined;
let events: AuthKitEvent[] = [];

const send = (message: Record<string, unknown>) => process.send?.(message);

/** The global fetch, reporting refresh-token grants to the parent before they leave. */
const watchedFetch: typeof fetch = (input, init) => {
  if (typeof init?.body === 'string' && init.body.includes('refresh_token')) send({ type: 'refresh-sent', pid: process.pid });
  return fetch(input, init);
};

function init(command: InitCommand): void {
  const offset = command.clockOffsetMs ?? 0;
  events = [];
  service = createAuthService<Request, Response>({
    config: configFor(command.port, command.apiKey, {
      issuer: command.issuer,
      ...(command.via === 'redisUrl' ? { redisUrl: command.redisUrl } : {}),
      ...command.config,
    }),
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
    clock: () => Date.now() + offset,
    onEvent: (event) => events.push(event),
    fetch: watchedFetch,
    ...(command.via === 'store' ? { coordination: createRedisCoordinationStore(command.redisUrl) } : {}),
    ...(command.coordinationTimeoutMs !== undefined ? { coordinationTimeoutMs: command.coordinationTimeoutMs } : {}),
    ...(command.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: command.maxRetryWaitMs } : {}),
  });
}

async function handle(command: { type: string; id?: number } & Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (command.type) {
    case 'ping':
      return { type: 'pong', pid: process.pid };
    case 'init':
      init(command as unknown as InitCommand);
      // Builds the dependencies (and so starts loading and connecting the Redis store) before any storm.
      await service?.withAuth(new Request('http://localhost:3000/'));
      return { type: 'ready', pid: process.pid };
    case 'storm': {
      if (!service) throw new Error('init first');
      events = [];
      const result = await storm(
        service,
        command.cookie as string,
        command.calls as number,
        (command.spacingMs as number | undefined) ?? 0,
      );
      return { type: 'stormed', pid: process.pid, result, events };
    }
    case 'auth': {
      if (!service) throw new Error('init first');
      const cookie = command.cookie as string;
      const outcomes = await Promise.all(
        Array.from({ length: command.calls as number }, () =>
          (service as AuthService<Request, Response>).withAuth(requestWithCookies({ 'wos-session': cookie })),
        ),
      );
      const results = outcomes.map(({ auth }) =>
        auth.user ? { user: auth.user.id, role: auth.role, permissions: auth.permissions } : { user: null, reason: auth.reason },
      );
      return { type: 'authed', pid: process.pid, results };
    }
    case 'signOut':
      if (!service) throw new Error('init first');
      await service.signOut(command.sessionId as string);
      return { type: 'signedOut' };
    default:
      throw new Error(`unknown command ${command.type}`);
  }
}

process.on('message', (raw) => {
  const command = raw as { type: string; id?: number } & Record<string, unknown>;
  if (command.type === 'exit') process.exit(0);
  handle(command).then(
    (reply) => send({ ...reply, id: command.id }),
    (error: unknown) => send({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

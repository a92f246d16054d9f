/**
 * One server process of storm scenario C, driven by bench/storm.ts over IPC (test/helpers/workers.ts).
 *   init  { library, port, apiKey, issuer, redisUrl }  a fresh service of that library; this package
 *         coordinates through Redis (`redisUrl`), 0.7.1 has no shared store and runs on its own
 *   storm { cookie, calls }  concurrent withAuth calls with one cookie; replies with the tally
 */
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor } from '../../test/helpers/emulator.js';
import { storm } from '../../test/helpers/storm.js';
import { anchorService } from './anchor.js';

type Service = Parameters<typeof storm>[0];
let service: Service | undefined;
/** `coordination.fallback` events since the last storm began. */
let fallbacks = 0;

async function handle(command: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (command.type) {
    case 'ping':
      return { type: 'pong' };
    case 'init': {
      const { library, port, apiKey, issuer, redisUrl } = command as {
        library: string;
        port: number;
        apiKey: string;
        issuer: string;
        redisUrl: string;
      };
      service =
        library === 'authkit-session'
          ? createAuthService<Request, Response>({
              config: configFor(port, apiKey, { issuer, redisUrl }),
              sessionStorageFactory: (config) => new FetchSessionStorage(config),
              onEvent: (event) => {
                if (event.type === 'coordination.fallback') fallbacks += 1;
              },
            })
          : (anchorService(port, apiKey) as unknown as Service);
      // Builds the service (and starts this package's Redis connection) before the storm, as bench/storm.ts does.
      await service.withAuth(new Request('http://localhost/'));
      return { type: 'ready' };
    }
    case 'storm':
      if (!service) throw new Error('init first');
      fallbacks = 0;
      return { type: 'stormed', result: await storm(service, command.cookie as string, command.calls as number), fallbacks };
    default:
      throw new Error(`unknown command ${String(command.type)}`);
  }
}

process.on('message', (raw) => {
  const command = raw as Record<string, unknown>;
  if (command.type === 'exit') process.exit(0);
  handle(command).then(
    (reply) => process.send?.({ ...reply, id: command.id }),
    (error: unknown) => process.send?.({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

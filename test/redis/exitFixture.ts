/**
 * A script that configures `redisUrl` and uses the service, then simply ends: it must exit by itself (an idle
 * Redis client must not hold the process open). Run by test/redis/close.test.ts with the emulator port, its
 * API key, the Redis URL and optionally `SESSION_MODE` in the environment.
 */
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor } from '../helpers/emulator.js';
import { signIn } from '../helpers/service.js';

const service = createAuthService<Request, Response>({
  config: configFor(Number(process.env.EMULATOR_PORT), process.env.WORKOS_API_KEY as string, {
    redisUrl: process.env.REDIS_URL,
    // SESSION_MODE=server: the sessions live in that Redis too, on a connection of their own.
    ...(process.env.SESSION_MODE ? { sessionMode: process.env.SESSION_MODE } : {}),
  }),
  sessionStorageFactory: (config) => new FetchSessionStorage(config),
});
await service.withAuth(new Request('http://localhost:3000/'));
if (process.env.SESSION_MODE === 'server') {
  // A sign-in writes the session to the store; the next request reads it back.
  const { cookie } = await signIn(service);
  const { auth } = await service.withAuth(new Request('http://localhost:3000/', { headers: { cookie: `wos-session=${cookie}` } }));
  if (auth.user === null) throw new Error(`server-mode session not found: ${auth.reason}`);
}
await service.signOut('session_exit_fixture');
// Long enough for the revocation feed's connection to be made and the sign-out to come back over it.
await new Promise((resolve) => setTimeout(resolve, 300));
console.log('done');

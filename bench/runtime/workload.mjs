// The function-level runtime workload of `npm run bench` (bench/runtimes.ts): this package and
// @workos/authkit-session 0.7.1 in the same runtime, each through a Fetch storage.
//   repeated     the same cookie on every call (this package answers from its cache)
//   first sight  a never-seen cookie on every call (the same session sealed again beforehand)
// Untimed here: the CLI (program.mjs) times each step inside its runtime; under workerd, whose clock stands
// still while a request computes, the worker (worker.mjs) runs one step per request and Node times it.
// Imports by package name, so each runtime (or bundler) resolves the export condition an application would.
import { WorkOS } from '@workos-inc/node';
import * as anchor from 'anchor-authkit-session';
import { createAuthService, sessionEncryption } from 'authkit-session';
import { FetchSessionStorage } from 'authkit-session/fetch';
import { prepareFloor, runFloor } from './floor.mjs';

const cookieOf = (request) => /(?:^|;\s*)wos-session=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null;

/** Both services for `input` (see bench/runtimes.ts), with the steps to prepare and run per library. */
export function createWorkload(input) {
  class AnchorStorage extends anchor.CookieSessionStorage {
    async getCookie(request) {
      return cookieOf(request);
    }
  }
  const base = {
    clientId: input.clientId,
    apiKey: input.apiKey,
    redirectUri: input.redirectUri,
    cookiePassword: input.cookiePassword,
    apiHostname: 'localhost',
    apiHttps: false,
    apiPort: input.apiPort,
  };
  const ours = createAuthService({ config: { ...base, issuer: input.issuer }, sessionStorageFactory: (c) => new FetchSessionStorage(c) });
  anchor.configure(base);
  const client = new WorkOS(input.apiKey, { apiHostname: 'localhost', port: input.apiPort, https: false, clientId: input.clientId });
  const theirs = anchor.createAuthService({ sessionStorageFactory: (c) => new AnchorStorage(c), clientFactory: () => client });
  const services = { ours, anchor: theirs };
  const request = (cookie) => new Request('http://localhost/', { headers: { cookie: `wos-session=${cookie}` } });
  const seal = () => sessionEncryption.sealData(input.session, { password: input.cookiePassword });
  const state = {};

  async function count(service, requests) {
    let failures = 0;
    for (const req of requests) if ((await service.withAuth(req)).auth.user === null) failures++;
    return { calls: requests.length, failures };
  }

  return {
    /** Warms `library` up (JWKS fetched, code compiled) and seals the cookies its timed steps use. */
    async prepare(library) {
      const service = services[library];
      const repeated = request(await seal());
      for (let i = 0; i < 300; i++) await service.withAuth(i % 2 ? repeated : request(await seal()));
      const fresh = [];
      for (let i = 0; i < input.calls[library].firstSight; i++) fresh.push(request(await seal()));
      state[library] = { repeated, fresh };
      return { calls: 0, failures: 0 };
    },
    /** Seals never-seen cookies and decodes them for `floor` (see floor.mjs), warmed up on 300 of them. */
    async prepareFloor() {
      const cookies = [];
      for (let i = 0; i < input.calls.ours.firstSight; i++) cookies.push(await seal());
      const jwksUrl = `http://localhost:${input.apiPort}/sso/jwks/${encodeURIComponent(input.clientId)}`;
      state.floor = await prepareFloor(cookies, input.cookiePassword, jwksUrl);
      await runFloor({ ...state.floor, seals: state.floor.seals.slice(0, 300) });
      return { calls: 0, failures: 0 };
    },
    /** The WebCrypto calls alone of a first sight, once per prepared cookie. */
    floor: () => runFloor(state.floor),
    /** Every prepared never-seen cookie once. */
    firstSight: (library) => count(services[library], state[library].fresh),
    /** The same cookie, `calls.<library>.repeated` times. */
    repeated: (library) =>
      count(
        services[library],
        Array.from({ length: input.calls[library].repeated }, () => state[library].repeated),
      ),
  };
}

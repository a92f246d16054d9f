// The function-level runtime rows of `npm run bench` (bench/runtimes.ts): this package and
// @workos/authkit-session 0.7.1 in the same runtime, each through a Fetch storage, timed inside the runtime.
//   repeated     the same cookie on every call (this package answers from its cache)
//   first sight  a never-seen cookie on every call (the same session sealed again beforehand)
// Reads its input from AUTHKIT_RUNTIME_INPUT, prints one JSON line. Imports by package name, so each runtime
// resolves the export condition it would in an application.
import { WorkOS } from '@workos-inc/node';
import * as anchor from 'anchor-authkit-session';
import { createAuthService, sessionEncryption } from 'authkit-session';
import { FetchSessionStorage } from 'authkit-session/fetch';

const input = JSON.parse(process.env.AUTHKIT_RUNTIME_INPUT ?? '{}');
const cookieOf = (request) => /(?:^|;\s*)wos-session=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null;

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
const request = (cookie) => new Request('http://localhost/', { headers: { cookie: `wos-session=${cookie}` } });
const seal = () => sessionEncryption.sealData(input.session, { password: input.cookiePassword });

async function timed(service, requests) {
  let failures = 0;
  const started = performance.now();
  for (const req of requests) if ((await service.withAuth(req)).auth.user === null) failures++;
  const ms = performance.now() - started;
  return { opsPerSecond: (requests.length / ms) * 1000, failures };
}

const out = { entry: import.meta.resolve ? import.meta.resolve('authkit-session').split('/').pop() : '?', rows: {} };
for (const [name, service, repeatedCalls, freshCalls] of [
  ['ours', ours, input.calls.ours.repeated, input.calls.ours.firstSight],
  ['anchor', theirs, input.calls.anchor.repeated, input.calls.anchor.firstSight],
]) {
  const repeated = request(await seal());
  for (let i = 0; i < 300; i++) await service.withAuth(i % 2 ? repeated : request(await seal()));
  const fresh = [];
  for (let i = 0; i < freshCalls; i++) fresh.push(request(await seal()));
  const first = await timed(service, fresh);
  const again = await timed(
    service,
    Array.from({ length: repeatedCalls }, () => repeated),
  );
  out.rows[name] = { firstSight: first.opsPerSecond, repeated: again.opsPerSecond, failures: first.failures + again.failures };
}
console.log(JSON.stringify(out));

/**
 * The library comparison of `npm run bench`: the hand-written node:crypto paths against the well-kept
 * libraries that do the same job, on one real emulator session and token, in this process.
 *   iron unseal   src/core/encryption/ironNode.node.ts (sync) vs @hapi/iron `unseal` (iron on node:crypto)
 *   iron seal     the same pair for `seal`
 *   RS256 verify  src/core/jwt/fastVerify.ts (node:crypto `verify` on jose's key, looked up in jose's remote
 *                 JWKS on every call) vs fast-jwt `createVerifier` on a fixed key (cache off: a first sight; the
 *                 session cache answers repeats in this package). Two rows: the token decoded in each timed call,
 *                 as fast-jwt decodes its own; and decoded beforehand, as in `withAuth`, where the session checks
 *                 before verification read the one decoding (fast-jwt cannot use it: its row is the same call).
 */
import { createPublicKey } from 'node:crypto';
import * as Iron from '@hapi/iron';
import { createVerifier } from 'fast-jwt';
import { createRemoteJWKSet } from 'jose';
import { nodeCryptoBackend } from '../src/core/encryption/nodeBackend.node.js';
import { sealNode, unsealNode } from '../src/core/encryption/ironNode.node.js';
import { decodeToken } from '../src/core/jwt/decode.js';
import { verifyRs256Fast } from '../src/core/jwt/fastVerify.js';
import { printTable } from './lib/table.js';

/** Runs `call` for about `ms` milliseconds after a warm-up; operations per second. */
async function rate(call: () => unknown, ms = 1_000): Promise<number> {
  for (let i = 0; i < 200; i++) await call();
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (let i = 0; i < 50; i++) await call();
    done += 50;
  }
  return (done / (performance.now() - started)) * 1000;
}

/** Prints the comparison; `jwksUrl` serves the key that signed `token`. */
export async function runLibraryBench(
  session: unknown,
  token: string,
  jwksUrl: string,
  password: string,
  issuer: string,
  audience: string,
): Promise<void> {
  const sealed = await sealNode(session, password, 0, Date.now());
  const ironOptions = { ...Iron.defaults, timestampSkewSec: 60 };
  const jwk = ((await (await fetch(jwksUrl)).json()) as { keys: Record<string, unknown>[] }).keys[0] as Record<string, unknown>;
  const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
  const fastJwt = createVerifier({
    key: pem,
    algorithms: ['RS256'],
    cache: false,
    allowedIss: issuer,
    allowedAud: audience,
    requiredClaims: ['exp', 'sub', 'sid'],
  });
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  // The token is decoded in each timed call, as fast-jwt decodes its own.
  const fast = (at: number) => {
    const decoded = decodeToken(token);
    if (!decoded) throw new Error('not a JWS');
    return verifyRs256Fast(decoded, keys, nodeCryptoBackend, at, 5);
  };
  if (!(await fast(Date.now()))) throw new Error('fast path did not verify');
  const decodedOnce = decodeToken(token);
  if (!decodedOnce) throw new Error('not a JWS');
  fastJwt(token);
  if (
    JSON.stringify(await Iron.unseal(sealed, { '1': password }, ironOptions)) !== JSON.stringify(unsealNode(sealed, password, Date.now()))
  ) {
    throw new Error('@hapi/iron and the node backend disagree');
  }
  const rows: [string, number, number][] = [
    [
      'iron unseal',
      await rate(() => unsealNode(sealed, password, Date.now())),
      await rate(() => Iron.unseal(sealed, { '1': password }, ironOptions)),
    ],
    [
      'iron seal',
      await rate(() => sealNode(session, password, 0, Date.now())),
      await rate(() => Iron.seal(session, { id: '1', secret: password }, ironOptions)),
    ],
    ['RS256 verify (first sight)', await rate(() => fast(Date.now())), await rate(() => fastJwt(token))],
    [
      'RS256 verify, token decoded once (withAuth)',
      await rate(() => verifyRs256Fast(decodedOnce, keys, nodeCryptoBackend, Date.now(), 5)),
      await rate(() => fastJwt(token)),
    ],
  ];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log('\nHand-written node:crypto paths vs libraries (ops/s, this process):\n');
  printTable(
    ['operation', 'hand-written', 'library', 'hand-written / library'],
    rows.map(([name, ours, library], i) => [
      name,
      fmt(ours),
      `${fmt(library)} (${i < 2 ? '@hapi/iron' : 'fast-jwt'})`,
      `${(ours / library).toFixed(2)}x`,
    ]),
  );
}

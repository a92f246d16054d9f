/**
 * The library comparison of `npm run bench`: the hand-written node:crypto paths against the well-kept
 * libraries that do the same job, on one real emulator session and token, in this process. Measured as
 * CPU time per operation (process.cpuUsage), in alternating rounds (the two sides of a row take turns,
 * the order flipping each round); the table shows medians over the rounds, in operations per CPU second.
 *   iron unseal   src/core/encryption/ironNode.node.ts (sync) vs @hapi/iron `unseal` (iron on node:crypto)
 *   iron seal     the same pair for `seal`
 *   RS256 verify  the package's `AccessTokenVerifier.verify` on the node:crypto backend (the key jose gave
 *                 for the token's kid kept, node:crypto `verify` on it, claims checked with the injected
 *                 clock) vs fast-jwt as this package would use it: one `createVerifier` per kid (RS256
 *                 only, its own time checks off), then the same claim checks with the injected clock, in
 *                 an async function as `verify` is. First sight (the session cache answers repeats): the
 *                 token decoded in each call; and decoded beforehand, as `withAuth` passes it (the checks
 *                 before verification read that decoding; fast-jwt cannot use it: its side is the same call).
 */
import { createPublicKey } from 'node:crypto';
import os from 'node:os';
import * as Iron from '@hapi/iron';
import { createVerifier } from 'fast-jwt';
import { nodeCryptoBackend } from '../src/core/encryption/nodeBackend.node.js';
import { sealNode, unsealNode } from '../src/core/encryption/ironNode.node.js';
import { decodeToken } from '../src/core/jwt/decode.js';
import { AccessTokenVerifier } from '../src/core/jwt/verifier.js';
import { median } from './lib/measure.js';
import { printTable } from './lib/table.js';

/** LIBRARY_ROUNDS (default 9) alternating rounds of LIBRARY_CALLS (default 2,000) calls per side. */
const ROUNDS = Number(process.env.LIBRARY_ROUNDS ?? 9);
const CALLS = Number(process.env.LIBRARY_CALLS ?? 2_000);

/** CPU microseconds per call of `call`, over `CALLS` calls. */
async function cpuPerCall(call: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await call();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
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
  const clock = () => Date.now();
  const tolerance = 5;
  const verifier = new AccessTokenVerifier({
    jwksUrl,
    issuer,
    clientId: audience,
    clockToleranceSeconds: tolerance,
    clock,
    timeoutMs: 5_000,
    crypto: nodeCryptoBackend,
  });
  // fast-jwt as adopted: one verifier per kid of the key set, claims checked as the package checks them.
  const jwks = ((await (await fetch(jwksUrl)).json()) as { keys: Record<string, unknown>[] }).keys;
  const byKid = new Map(
    jwks.map((jwk) => {
      const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
      const check = createVerifier({ key: pem, algorithms: ['RS256'], cache: false, ignoreExpiration: true, ignoreNotBefore: true });
      return [jwk.kid as string, check] as const;
    }),
  );
  const fastJwt = async (jwt: string, kid: string) => {
    const check = byKid.get(kid);
    if (!check) return undefined;
    const claims = check(jwt) as Record<string, unknown>;
    const now = Math.floor(clock() / 1000);
    const { iss, aud, sub, sid, exp, nbf } = claims;
    if (iss !== issuer && iss !== `${issuer}/user_management/${audience}`) return undefined;
    if (aud !== undefined && aud !== audience && !(Array.isArray(aud) && aud.includes(audience))) return undefined;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') return undefined;
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + tolerance)) return undefined;
    return exp <= now - tolerance ? undefined : claims;
  };
  const decodedOnce = decodeToken(token);
  if (!decodedOnce) throw new Error('not a JWS');
  const kid = decodedOnce.header.kid as string;
  for (let i = 0; i < 2; i++) {
    if ((await verifier.verify(token)).status !== 'valid') throw new Error('the package did not verify the token');
  }
  if (!(await fastJwt(token, kid))) throw new Error('fast-jwt did not verify the token');
  if (
    JSON.stringify(await Iron.unseal(sealed, { '1': password }, ironOptions)) !== JSON.stringify(unsealNode(sealed, password, Date.now()))
  ) {
    throw new Error('@hapi/iron and the node backend disagree');
  }
  const rows: [string, string, () => unknown, () => unknown][] = [
    [
      'iron unseal',
      '@hapi/iron',
      () => unsealNode(sealed, password, Date.now()),
      () => Iron.unseal(sealed, { '1': password }, ironOptions),
    ],
    [
      'iron seal',
      '@hapi/iron',
      () => sealNode(session, password, 0, Date.now()),
      () => Iron.seal(session, { id: '1', secret: password }, ironOptions),
    ],
    ['RS256 verify (first sight)', 'fast-jwt', () => verifier.verify(token), () => fastJwt(token, kid)],
    [
      'RS256 verify, token decoded once (withAuth)',
      'fast-jwt',
      () => verifier.verify(token, { decoded: decodedOnce }),
      () => fastJwt(token, kid),
    ],
  ];
  const ours: number[][] = rows.map(() => []);
  const library: number[][] = rows.map(() => []);
  for (const [, , mine, theirs] of rows) for (let i = 0; i < 200; i++) await Promise.all([mine(), theirs()]);
  const loadBefore = os.loadavg()[0] as number;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, [, , mine, theirs]] of rows.entries()) {
      if (round % 2) library[index]?.push(await cpuPerCall(theirs));
      ours[index]?.push(await cpuPerCall(mine));
      if (!(round % 2)) library[index]?.push(await cpuPerCall(theirs));
    }
  }
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `\nHand-written node:crypto paths vs libraries (operations per CPU second, this process; median of ${ROUNDS} alternating ` +
      `rounds of ${CALLS.toLocaleString('en-US')} calls; load ${loadBefore.toFixed(2)} → ${os.loadavg()[0]?.toFixed(2)}):\n`,
  );
  printTable(
    ['operation', 'hand-written', 'library', 'hand-written / library'],
    rows.map(([name, libraryName], i) => {
      const mine = median(ours[i] as number[]);
      const theirs = median(library[i] as number[]);
      const ratio = median((ours[i] as number[]).map((us, round) => ((library[i] as number[])[round] as number) / us));
      return [name, fmt(1e6 / mine), `${fmt(1e6 / theirs)} (${libraryName})`, `${ratio.toFixed(2)}x`];
    }),
  );
}

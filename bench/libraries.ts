/**
 * The library comparison of `npm run bench`: the hand-written node:crypto paths against the well-kept
 * libraries that do the same job, on one real emulator session and token, in this process. Measured as
 * CPU time per operation (process.cpuUsage), in alternating rounds (the two sides of a row take turns,
 * the order flipping each round); the table shows medians over the rounds, in operations per CPU second.
 *   iron unseal   src/core/encryption/ironNode.node.ts (sync) vs @hapi/iron `unseal` (iron on node:crypto)
 *   iron seal     the same pair for `seal`
 *   RS256 verify  the package's `AccessTokenVerifier.verify` (key kept per kid, claims checked with the
 *                 injected clock) on the node backend as shipped, where fast-jwt checks the signature (one
 *                 `createVerifier` per key, RS256 only, its own time checks off), against the same verifier
 *                 with the hand-written check it replaced (node:crypto `verify` on the kept key, the
 *                 backend's `verifyRs256`). First sight (the session cache answers repeats): the token
 *                 decoded in each call; and decoded beforehand, as `withAuth` passes it.
 */
import os from 'node:os';
import * as Iron from '@hapi/iron';
import type { CryptoBackend } from '../src/core/encryption/backend.js';
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
  const verifierOn = (crypto: CryptoBackend) =>
    new AccessTokenVerifier({
      jwksUrl,
      issuer,
      clientId: audience,
      clockToleranceSeconds: 5,
      clock: () => Date.now(),
      timeoutMs: 5_000,
      crypto,
    });
  const withFastJwt = verifierOn(nodeCryptoBackend);
  const handWritten = verifierOn({ ...nodeCryptoBackend, rs256Checker: undefined });
  const decodedOnce = decodeToken(token);
  if (!decodedOnce) throw new Error('not a JWS');
  for (const verifier of [withFastJwt, handWritten]) {
    for (let i = 0; i < 2; i++) if ((await verifier.verify(token)).status !== 'valid') throw new Error('the token did not verify');
  }
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
    ['RS256 verify (first sight)', 'fast-jwt', () => handWritten.verify(token), () => withFastJwt.verify(token)],
    [
      'RS256 verify, token decoded once (withAuth)',
      'fast-jwt',
      () => handWritten.verify(token, { decoded: decodedOnce }),
      () => withFastJwt.verify(token, { decoded: decodedOnce }),
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

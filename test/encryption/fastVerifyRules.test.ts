import { describe, expect, it } from 'vitest';
import type { VerifyOutcome } from '../../src/core/jwt/verifier.js';
import { claims, CLIENT, header, ISSUER, s, useFastVerify } from './fastVerifyKit.js';

// The claim, time, header and payload rules of the node backend's RS256 path: each case concludes as jose does.
const t = useFastVerify();

describe('RS256 with node:crypto applies jose’s rules to claims, times, headers and payloads', () => {
  const times: [string, Record<string, unknown>, VerifyOutcome['status']][] = [
    ['expired', { exp: s - 100 }, 'expired'],
    ['expired within the clock tolerance', { exp: s - 3 }, 'valid'],
    ['expiring exactly at the tolerance', { exp: s - 5 }, 'expired'],
    ['not yet valid', { nbf: s + 100 }, 'invalid'],
    ['not yet valid within the tolerance', { nbf: s + 5 }, 'valid'],
    ['a string iat', { iat: String(s) }, 'invalid'],
    ['a string nbf', { nbf: String(s) }, 'invalid'],
    ['a string exp', { exp: String(s + 300) }, 'invalid'],
    ['a fractional exp', { exp: s + 300.5 }, 'valid'],
    ['no iat', { iat: undefined }, 'valid'],
  ];
  it.each(times)('times: %s', async (_name, patch, status) => {
    expect((await t.sameOutcome(t.craft(header, { ...claims, ...patch }))).status).toBe(status);
  });

  const claimCases: [string, Record<string, unknown>, VerifyOutcome['status']][] = [
    ['no sid', { sid: undefined }, 'invalid'],
    ['no sub', { sub: undefined }, 'invalid'],
    ['no exp', { exp: undefined }, 'invalid'],
    ['a numeric sub', { sub: 42 }, 'invalid'],
    ['a null sid', { sid: null }, 'invalid'],
    ['a foreign issuer', { iss: 'https://evil.example' }, 'invalid'],
    ['the user-management issuer', { iss: `${ISSUER}/user_management/${CLIENT}` }, 'valid'],
    ['a foreign audience', { aud: 'client_other' }, 'invalid'],
    ['an audience list with ours', { aud: ['x', CLIENT] }, 'valid'],
    ['no audience', { aud: undefined }, 'valid'],
    ['custom claims', { permissions: ['a'], org_id: 'org_1', nested: { deep: [1] } }, 'valid'],
  ];
  it.each(claimCases)('claims: %s', async (_name, patch, status) => {
    const payload: Record<string, unknown> = { ...claims, ...patch };
    for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
    expect((await t.sameOutcome(t.craft(header, payload))).status).toBe(status);
  });

  const headers: [string, unknown][] = [
    ['alg RS384', { ...header, alg: 'RS384' }],
    ['alg none', { ...header, alg: 'none' }],
    ['no alg', { kid: 'test-key' }],
    ['a crit extension', { ...header, crit: ['exp'] }],
    ['crit b64', { ...header, crit: ['b64'], b64: true }],
    ['b64 false', { ...header, b64: false }],
    ['an unknown kid', { ...header, kid: 'other-key' }],
    ['no kid', { alg: 'RS256' }],
    ['an embedded jwk', { ...header, jwk: { kty: 'RSA' } }],
    ['a header that is an array', [header]],
    ['a header that is not JSON', '{alg'],
  ];
  it.each(headers)('headers: %s', async (_name, value) => {
    await t.sameOutcome(t.craft(value, claims));
  });

  it.each([
    ['a payload that is an array', [claims]],
    ['a payload that is not JSON', 'not json'],
    ['a payload that is not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['a payload with a byte-order mark', `\uFEFF${JSON.stringify(claims)}`],
    ['a payload with __proto__', `{"__proto__":{"x":1},${JSON.stringify(claims).slice(1)}`],
  ])('payloads: %s', async (_name, payload) => {
    await t.sameOutcome(t.craft(header, payload));
  });
});

import { createHmac } from 'node:crypto';
import { seal as ironSeal, defaults as ironDefaults } from 'iron-webcrypto';
import { sealData as ironSessionSeal } from 'iron-session';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { B64URL, HEX, type Rng } from './rng.js';

/** Everything a generator may use: a real sealed session and its parts, and forged material. */
export interface FuzzContext {
  password: string;
  /** A real, valid sealed session (the mutation base). */
  seal: string;
  session: { accessToken: string; refreshToken: string; user: Record<string, unknown> };
  /** Real-key access tokens whose `aud` is another client. */
  foreignAudTokens: string[];
  foreignKey: CryptoKey;
  publicKeyPem: string;
}

/** One fuzz input: the raw `Cookie` header value of the session cookie (`null` = no cookie). */
export interface FuzzCase {
  category: string;
  /** Cookie value; sent raw (not URL-encoded) when `raw`. */
  value: string | null;
  raw?: boolean;
  /** True when the case is a well-formed session whose token does not verify: a refresh call is allowed. */
  mayCallWorkOS?: boolean;
  /** The forged access token inside, when any, so acceptance can be detected. */
  forgedToken?: string;
}

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const fakeRefresh = (rng: Rng) => `ref_fuzz_${rng.string(B64URL, 24)}`;

function mutateDifferent(base: string, rng: Rng, mutate: (s: string) => string): string {
  for (;;) {
    const out = mutate(base);
    if (out !== base) return out;
    rng.next();
  }
}

type Generator = (rng: Rng, ctx: FuzzContext) => Promise<FuzzCase> | FuzzCase;

/** Builds a session around a bad access token, sealed with the real password and a fake refresh token. */
async function badTokenSeal(category: string, token: string, rng: Rng, ctx: FuzzContext): Promise<FuzzCase> {
  const value = await sealData({ ...ctx.session, accessToken: token, refreshToken: fakeRefresh(rng) }, { password: ctx.password });
  return { category, value, mayCallWorkOS: true, forgedToken: token };
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}

export const GENERATORS: Record<string, Generator> = {
  'bit flip': (rng, ctx) => ({
    category: 'bit flip',
    value: mutateDifferent(ctx.seal, rng, (s) => {
      const i = rng.int(s.length);
      return s.slice(0, i) + String.fromCharCode((s.charCodeAt(i) ^ (1 << rng.int(7))) & 0x7f || 0x41) + s.slice(i + 1);
    }),
  }),
  substitution: (rng, ctx) => ({
    category: 'substitution',
    value: mutateDifferent(ctx.seal, rng, (s) => {
      const i = rng.int(s.length);
      return s.slice(0, i) + rng.pick([...B64URL, '*', '~', '.', '%']) + s.slice(i + 1);
    }),
  }),
  truncation: (rng, ctx) => ({ category: 'truncation', value: ctx.seal.slice(0, rng.int(ctx.seal.length)) }),
  insertion: (rng, ctx) => ({
    category: 'insertion',
    value: (() => {
      const i = rng.int(ctx.seal.length + 1);
      return ctx.seal.slice(0, i) + rng.string(`${B64URL}*~`, 1 + rng.int(8)) + ctx.seal.slice(i);
    })(),
  }),
  'random base64url': (rng) => ({ category: 'random base64url', value: rng.string(B64URL, 1 + rng.int(3000)) }),
  'iron-shaped garbage': (rng) => ({
    category: 'iron-shaped garbage',
    value: `Fe26.2*1*${rng.string(HEX, 64)}*${rng.string(B64URL, 21)}A*${rng.string(B64URL, 64 * (1 + rng.int(20)))}*${rng.pick(['', String(Date.now() + 1e6)])}*${rng.string(HEX, 64)}*${rng.string(B64URL, 42)}A~2`,
  }),
  'empty or absent': (rng) => ({ category: 'empty or absent', value: rng.pick([null, '', ' ']) }),
  '100 KB value': (rng) => ({ category: '100 KB value', value: rng.string(`${B64URL}*~`, 100 * 1024) }),
  'other password (iron-webcrypto)': async (rng, ctx) => ({
    category: 'other password (iron-webcrypto)',
    value: `${await ironSeal(ctx.session, { id: '1', secret: `other-${rng.string(B64URL, 40)}` }, ironDefaults)}~2`,
  }),
  'other password (iron-session)': async (rng, ctx) => ({
    category: 'other password (iron-session)',
    value: await ironSessionSeal(ctx.session, { password: `other-${rng.string(B64URL, 40)}`, ttl: 0 }),
  }),
  'non-iron raw string': (rng) => ({
    category: 'non-iron raw string',
    raw: true,
    value:
      rng.pick(['%', '%E0%A4%A', '%ZZ', '%C0%80', '\u00e9\u00e8', 'a=b', '"quoted"', 'Fe26.2', '%00%0d%0a']) +
      rng.string('%abc\u00ff', rng.int(20)),
  }),
  'suffix other than ~2': (rng, ctx) => ({
    category: 'suffix other than ~2',
    value: rng.pick([
      ctx.seal.replace(/~2$/, '~1'),
      ctx.seal.replace(/~2$/, ''),
      `${ctx.seal}~2`,
      `${ctx.seal}x`,
      `${ctx.seal} `,
      `${ctx.seal.replace(/~2$/, '')}A~2`,
    ]),
  }),
  'malformed session (real password)': async (rng, ctx) => ({
    category: 'malformed session (real password)',
    value: await sealData(
      rng.pick<unknown>([
        {},
        [],
        'a string',
        42,
        null,
        { accessToken: 1, refreshToken: ctx.session.refreshToken, user: ctx.session.user },
        { accessToken: ctx.session.accessToken, refreshToken: '', user: ctx.session.user },
        { accessToken: ctx.session.accessToken, refreshToken: ctx.session.refreshToken, user: {} },
        { accessToken: ctx.session.accessToken, refreshToken: ctx.session.refreshToken },
        { persistent: ctx.session },
      ]),
      { password: ctx.password },
    ),
  }),
  'alg none': (rng, ctx) =>
    badTokenSeal('alg none', `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claimsOf(ctx.session.accessToken))}.`, rng, ctx),
  'HS256 keyed with the public key': (rng, ctx) => {
    const input = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claimsOf(ctx.session.accessToken))}`;
    return badTokenSeal(
      'HS256 keyed with the public key',
      `${input}.${createHmac('sha256', ctx.publicKeyPem).update(input).digest('base64url')}`,
      rng,
      ctx,
    );
  },
  'foreign key': async (rng, ctx) =>
    badTokenSeal(
      'foreign key',
      await new SignJWT(claimsOf(ctx.session.accessToken))
        .setProtectedHeader({ alg: 'RS256', kid: rng.pick(['foreign', claimsOfHeader(ctx.session.accessToken)]) })
        .sign(ctx.foreignKey),
      rng,
      ctx,
    ),
  'edited payload': (rng, ctx) => {
    const [h, , s] = ctx.session.accessToken.split('.');
    const claims = {
      ...claimsOf(ctx.session.accessToken),
      [rng.pick(['sub', 'org_id', 'role', 'exp'])]: rng.pick(['user_evil', 'org_evil', 'admin', 9999999999]),
    };
    return badTokenSeal('edited payload', `${h}.${enc(claims)}.${s}`, rng, ctx);
  },
  'expired (foreign key)': async (rng, ctx) => {
    const now = Math.floor(Date.now() / 1000);
    return badTokenSeal(
      'expired (foreign key)',
      await new SignJWT({ ...claimsOf(ctx.session.accessToken), iat: now - 7200, exp: now - 3600 })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(ctx.foreignKey),
      rng,
      ctx,
    );
  },
  'real key, foreign aud': (rng, ctx) => badTokenSeal('real key, foreign aud', rng.pick(ctx.foreignAudTokens), rng, ctx),
};

function claimsOfHeader(token: string): string {
  return String(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8')).kid ?? 'none');
}

/** Generates `count` cases cycling through every category. */
export async function generateCases(rng: Rng, ctx: FuzzContext, count: number): Promise<FuzzCase[]> {
  const names = Object.keys(GENERATORS);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) cases.push(await (GENERATORS[names[i % names.length] as string] as Generator)(rng, ctx));
  return cases;
}

/** A fresh foreign RS256 key and the PEM of a public key (for the HS256 confusion case). */
export async function forgeryKeys(publicKey: CryptoKey) {
  const foreign = await generateKeyPair('RS256');
  return { foreignKey: foreign.privateKey, publicKeyPem: await exportSPKI(publicKey) };
}

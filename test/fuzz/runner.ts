import { WorkOS } from '@workos-inc/node';
import { importJWK } from 'jose';
import { unsealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import type { AuthKitEvent } from '../../src/core/events.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD, startEmulator } from '../helpers/emulator.js';
import { makeService, signIn } from '../helpers/service.js';
import { generateCases, forgeryKeys, type FuzzCase, type FuzzContext } from './corpus.js';
import { createRng } from './rng.js';

export interface CategoryRow {
  category: string;
  cases: number;
  thrown: number;
  hung: number;
  authenticated: number;
  forgedAccepted: number;
  workosCalls: number;
  /** Cases that called WorkOS although they may not (not a well-formed session with a bad token). */
  unexpectedCalls: number;
}

export interface FuzzReport {
  seed: number;
  rows: CategoryRow[];
  /** Descriptions of any secret found in a result, reason, error message or event. */
  leaks: string[];
}

const HANG_MS = 5_000;

/** Runs `count` seeded cases against a service on a fresh emulator and tallies the outcomes by category. */
export async function runFuzz(count: number, seed: number): Promise<FuzzReport> {
  const em = await startEmulator();
  try {
    let workosCalls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/user_management/authenticate')) workosCalls += 1;
      return fetch(input, init);
    };
    const harness = makeService(em.port, em.apiKey, {}, { fetch: countingFetch });
    const { cookie } = await signIn(harness.service);
    const session = await unsealData<FuzzContext['session']>(cookie, { password: COOKIE_PASSWORD });
    const jwks = (await (await fetch(`${em.url}/sso/jwks/${CLIENT_ID}`)).json()) as { keys: Record<string, unknown>[] };
    const publicKey = (await importJWK(jwks.keys[0] as never, 'RS256')) as CryptoKey;
    const other = new WorkOS(em.apiKey, { apiHostname: 'localhost', port: em.port, https: false, clientId: 'client_other' });
    const foreignAudTokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      foreignAudTokens.push(
        (await other.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: 'client_other' }))
          .accessToken,
      );
    }
    const ctx: FuzzContext = { password: COOKIE_PASSWORD, seal: cookie, session, foreignAudTokens, ...(await forgeryKeys(publicKey)) };
    const core = await harness.service.getCore();
    const secrets = [COOKIE_PASSWORD, session.refreshToken, session.accessToken, (cookie.split('*')[4] ?? '').slice(0, 24)];

    const rows = new Map<string, CategoryRow>();
    const leaks: string[] = [];
    const rng = createRng(seed);
    const cases = await generateCases(rng, ctx, count);
    for (const fuzzCase of cases) {
      const row = rows.get(fuzzCase.category) ?? {
        category: fuzzCase.category,
        cases: 0,
        thrown: 0,
        hung: 0,
        authenticated: 0,
        forgedAccepted: 0,
        workosCalls: 0,
        unexpectedCalls: 0,
      };
      rows.set(fuzzCase.category, row);
      row.cases += 1;
      harness.events.length = 0;
      const before = workosCalls;
      const outcome = await runCase(harness.service, fuzzCase);
      const calls = workosCalls - before;
      row.workosCalls += calls;
      if (calls > 0 && !fuzzCase.mayCallWorkOS) row.unexpectedCalls += 1;
      if (outcome.kind === 'thrown') row.thrown += 1;
      if (outcome.kind === 'hung') row.hung += 1;
      if (outcome.kind === 'result' && outcome.auth.user) {
        row.authenticated += 1;
        if (fuzzCase.forgedToken && outcome.auth.accessToken === fuzzCase.forgedToken) row.forgedAccepted += 1;
      }
      const texts: string[] = [JSON.stringify(harness.events)];
      if (outcome.kind === 'result' && !outcome.auth.user) texts.push(JSON.stringify(outcome.auth));
      if (outcome.kind === 'thrown') texts.push(String((outcome.error as Error)?.message));
      if (fuzzCase.value) {
        try {
          await core.decryptSession(fuzzCase.value);
        } catch (error) {
          texts.push(`${(error as Error).message} ${JSON.stringify((error as { data?: unknown }).data ?? {})}`);
        }
      }
      const forged = fuzzCase.forgedToken ? [fuzzCase.forgedToken] : [];
      for (const text of texts) {
        for (const secret of [
          ...secrets,
          ...forged,
          ...(fuzzCase.value && fuzzCase.value.length > 24 ? [fuzzCase.value.slice(0, 24)] : []),
        ]) {
          if (secret && text.includes(secret)) leaks.push(`${fuzzCase.category}: output contains a secret`);
        }
      }
    }
    return { seed, rows: [...rows.values()], leaks };
  } finally {
    await em.close();
  }
}

type Outcome = { kind: 'result'; auth: { user: unknown; accessToken?: string } } | { kind: 'thrown'; error: unknown } | { kind: 'hung' };

async function runCase(service: Awaited<ReturnType<typeof makeService>>['service'], fuzzCase: FuzzCase): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (fuzzCase.value !== null) headers.cookie = `wos-session=${fuzzCase.raw ? fuzzCase.value : encodeURIComponent(fuzzCase.value)}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race<Outcome>([
      service
        .withAuth(new Request('http://localhost:3000/', { headers }))
        .then((r): Outcome => ({ kind: 'result', auth: r.auth as { user: unknown; accessToken?: string } })),
      new Promise<Outcome>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'hung' }), HANG_MS);
      }),
    ]);
  } catch (error) {
    return { kind: 'thrown', error };
  } finally {
    clearTimeout(timer);
  }
}

/** The report as a Markdown table with a totals row. */
export function formatReport(report: FuzzReport): string {
  const head = ['category', 'cases', 'thrown', 'hung', 'authenticated', 'forged accepted', 'WorkOS calls', 'unexpected calls'];
  const rows = report.rows.map((r) =>
    [r.category, r.cases, r.thrown, r.hung, r.authenticated, r.forgedAccepted, r.workosCalls, r.unexpectedCalls].map(String),
  );
  const total = ['total', ...[1, 2, 3, 4, 5, 6, 7].map((i) => String(rows.reduce((n, r) => n + Number(r[i]), 0)))];
  const all = [head, ...rows, total];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    line(total),
    `seed ${report.seed}, secrets found in outputs: ${report.leaks.length}`,
  ].join('\n');
}

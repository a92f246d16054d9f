import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../../src/adapters/fetch.js';
import type { AuthKitConfig } from '../../../src/core/config/types.js';
import type { HeadersBag } from '../../../src/core/session/types.js';
import { runAdapterConformance, type AdapterUnderTest, type ConformanceResult } from '../../../src/testing/index.js';
import { fetchAdapter } from '../harness.js';

function failed(results: ConformanceResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => r.name);
}

function withStorage(Storage: new (config: AuthKitConfig) => FetchSessionStorage): AdapterUnderTest<Request, Response> {
  return { ...fetchAdapter, middleware: undefined, makeStorage: (config) => new Storage(config) };
}

/** A copy of `response` with `headers` written by `write`. */
function rewrite(response: Response | undefined, headers: HeadersBag, write: (target: Headers, name: string, value: string[]) => void) {
  if (!response) return undefined;
  const copy = new Response(response.body, { status: response.status, headers: new Headers(response.headers) });
  for (const [name, value] of Object.entries(headers)) write(copy.headers, name, [value].flat());
  return { response: copy };
}

describe('the kit catches broken storage adapters', () => {
  it('Set-Cookie values comma-joined into one header', async () => {
    // The base class hands applyHeaders one cookie per call; this adapter bypasses that and joins them.
    class Joined extends FetchSessionStorage {
      protected override async applyOrReturn(response: Response | undefined, headers: HeadersBag) {
        return rewrite(response, headers, (target, name, value) => target.append(name, value.join(', '))) ?? { headers };
      }
    }
    const results = await runAdapterConformance(withStorage(Joined));
    expect(failed(results)).toEqual(
      expect.arrayContaining(['save: a large session is split into cookies of at most 4096 bytes and read back whole']),
    );
    expect(results.find((r) => r.name.startsWith('save: a large'))?.detail).toMatch(/joined with commas/);
  });

  it('each cookie replacing the previous one (headers.set)', async () => {
    class Replacing extends FetchSessionStorage {
      protected override async applyHeaders(response: Response | undefined, headers: HeadersBag) {
        return rewrite(response, headers, (target, name, value) => value.forEach((item) => target.set(name, item)));
      }
    }
    expect(failed(await runAdapterConformance(withStorage(Replacing)))).toEqual(
      expect.arrayContaining([
        'save: a large session is split into cookies of at most 4096 bytes and read back whole',
        'save: Set-Cookie already on the response is kept, new lines appended',
      ]),
    );
  });

  it('only Set-Cookie written: no cache headers', async () => {
    class NoCache extends FetchSessionStorage {
      protected override async applyHeaders(response: Response | undefined, headers: HeadersBag) {
        return rewrite(response, headers, (target, name, value) => {
          if (name.toLowerCase() === 'set-cookie') value.forEach((item) => target.append(name, item));
        });
      }
    }
    const results = await runAdapterConformance(withStorage(NoCache));
    expect(failed(results)).toEqual(['cache headers: Cache-Control private, no-store and Vary Cookie on save and clear']);
    expect(results.find((r) => !r.ok)?.detail).toMatch(/Cache-Control is null/);
  });

  it('getCookie that does not URL-decode', async () => {
    class Raw extends FetchSessionStorage {
      override async getCookie(request: Request, name: string) {
        for (const pair of (request.headers.get('cookie') ?? '').split('; ')) {
          const [key, ...rest] = pair.split('=');
          if (key === name) return rest.join('=');
        }
        return null;
      }
    }
    const results = await runAdapterConformance(withStorage(Raw));
    expect(failed(results)).toEqual(['getCookie: URL-decodes values and answers null for absent cookies']);
  });

  it('applyHeaders that assumes a response (the crash signOut triggers)', async () => {
    class Assumes extends FetchSessionStorage {
      protected override async applyHeaders(response: Response | undefined, headers: HeadersBag) {
        for (const value of [headers['Set-Cookie'] ?? []].flat()) (response as Response).headers.append('Set-Cookie', value);
        return { response: response as Response };
      }
    }
    const results = await runAdapterConformance(withStorage(Assumes));
    expect(failed(results)).toContain('save and clear without a response return a headers bag');
    await expect(runAdapterConformance(withStorage(Assumes), { throwOnFailure: true })).rejects.toBeInstanceOf(AggregateError);
  });
});

import { describe, expect, it } from 'vitest';
import { checkCsrf, checkRequestCsrf } from '../../src/security/csrf.js';

const APP = 'https://app.example';

describe('checkCsrf', () => {
  it('lets safe methods through whatever the headers say', () => {
    for (const method of ['GET', 'head', 'OPTIONS'])
      expect(checkCsrf({ method, origin: 'https://evil.example', secFetchSite: 'cross-site' }, [APP])).toEqual({ ok: true });
  });

  it.each([
    [{ secFetchSite: 'same-origin' }, { ok: true }],
    [{ secFetchSite: 'none' }, { ok: true }],
    [
      { secFetchSite: 'cross-site', origin: 'https://evil.example' },
      { ok: false, reason: 'cross_site' },
    ],
    [
      { secFetchSite: 'same-site', origin: 'https://sub.app.example' },
      { ok: false, reason: 'cross_site' },
    ],
    [{ secFetchSite: 'same-site', origin: APP }, { ok: true }],
    [{ secFetchSite: 'cross-site' }, { ok: false, reason: 'cross_site' }],
    [{ origin: APP }, { ok: true }],
    [{ origin: 'https://evil.example' }, { ok: false, reason: 'origin_mismatch' }],
    [{ origin: 'null' }, { ok: false, reason: 'origin_mismatch' }],
    [{}, { ok: false, reason: 'origin_missing' }],
  ])('POST with %j → %j', (headers, expected) => {
    expect(checkCsrf({ method: 'POST', ...headers }, [APP])).toEqual(expected);
  });

  it('always allows the request’s own origin for Fetch requests', () => {
    const same = new Request(`${APP}/switch`, { method: 'POST', headers: { origin: APP } });
    const cross = new Request(`${APP}/switch`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(checkRequestCsrf(same)).toEqual({ ok: true });
    expect(checkRequestCsrf(cross)).toEqual({ ok: false, reason: 'cross_site' });
    expect(checkRequestCsrf(cross, ['https://evil.example'])).toEqual({ ok: true });
  });
});

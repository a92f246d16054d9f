import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNodeRequestCsrf } from '../../src/adapters/node.node.js';

// checkNodeRequestCsrf on real Node requests: the server answers with the verdict.
describe('checkNodeRequestCsrf', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => res.end(JSON.stringify(checkNodeRequestCsrf(req, ['https://app.example']))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends raw headers (fetch would add its own Sec-Fetch-* and forbid some). */
  const verdict = (method: string, headers: Record<string, string | string[]>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${origin}/logout`, { method, headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(body)));
      });
      req.on('error', reject);
      req.end();
    });

  it('passes safe methods and same-origin mutations', async () => {
    expect(await verdict('GET', { origin: 'https://evil.example' })).toEqual({ ok: true });
    expect(await verdict('POST', { 'sec-fetch-site': 'same-origin' })).toEqual({ ok: true });
    expect(await verdict('POST', { origin })).toEqual({ ok: true }); // own origin from Host
    expect(await verdict('POST', { origin: 'https://app.example' })).toEqual({ ok: true }); // listed
  });

  it('refuses cross-site, foreign-origin, origin-less and ambiguous mutations', async () => {
    expect(await verdict('POST', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toEqual({
      ok: false,
      reason: 'cross_site',
    });
    expect(await verdict('POST', { 'sec-fetch-site': 'cross-site' })).toEqual({ ok: false, reason: 'cross_site' });
    expect(await verdict('POST', { origin: 'https://evil.example' })).toEqual({ ok: false, reason: 'origin_mismatch' });
    expect(await verdict('POST', { origin: 'null' })).toEqual({ ok: false, reason: 'origin_mismatch' });
    expect(await verdict('DELETE', {})).toEqual({ ok: false, reason: 'origin_missing' });
    // A Host naming the attacker's site does not help: the browser sends our Host with the attacker's Origin.
    expect(await verdict('POST', { origin: 'http://evil.example', host: 'app.example' })).toEqual({ ok: false, reason: 'origin_mismatch' });
    // Node joins repeated headers: two Sec-Fetch-Site values are not `same-origin`.
    expect(await verdict('POST', { 'sec-fetch-site': ['same-origin', 'cross-site'] })).toEqual({ ok: false, reason: 'cross_site' });
  });
});

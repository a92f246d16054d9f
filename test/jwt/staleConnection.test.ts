import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeKeySet, testVerifier } from '../helpers/keys.js';

// A keep-alive connection the key server has already dropped: the client learns it only when it sends the
// next request over it and gets a reset (a busy event loop had no turn to read the server's FIN; Node's
// servers drop idle sockets after 5 s). The key set fetch that meets such a socket must not become
// `jwks_unavailable` for a valid token: a GET of a public key set is sent again, once, on a new connection.

const CLIENT = 'client_stale_connection';
let keys: Awaited<ReturnType<typeof makeKeySet>>;
let server: Server | undefined;

beforeAll(async () => {
  keys = await makeKeySet('key-stale');
});

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/**
 * A key server over raw TCP: it answers the first request of each connection with the key set, kept
 * alive, and resets the connection when a second request arrives on it (what a socket closed by the
 * server looks like to a client that reuses it). Returns its URL and how many requests it answered.
 */
async function resettingKeyServer(body: string): Promise<{ url: string; answered: () => number; resets: () => number }> {
  let answered = 0;
  let resets = 0;
  server = createServer((socket: Socket) => {
    let served = false;
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (!buffer.includes('\r\n\r\n')) return;
      buffer = '';
      if (served) {
        resets++;
        socket.resetAndDestroy();
        return;
      }
      served = true;
      answered++;
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
      );
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/sso/jwks/${CLIENT}`, answered: () => answered, resets: () => resets };
}

/** A token of `keys` that verifies for ten minutes. */
function validToken(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return keys.sign({ sub: 'user_1', sid: 'session_1', iss: 'https://api.workos.com', aud: CLIENT, exp: now + 600 });
}

/** A verifier whose every key set fetch fails as undici reports a connection error with `code`. */
function verifierFailingWith(code: string): { verifier: ReturnType<typeof testVerifier>; attempts: () => number } {
  let attempts = 0;
  const verifier = testVerifier(CLIENT, {
    fetch: async () => {
      attempts++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connection error ${code}`), { code }) });
    },
    clock: () => Date.now(),
  });
  return { verifier, attempts: () => attempts };
}

describe('key set fetch over a connection the server dropped', () => {
  it('verifies a valid token when the pooled connection is reset, sending the fetch again once', async () => {
    const keyServer = await resettingKeyServer(JSON.stringify({ keys: [keys.jwk] }));
    // An earlier request to the same origin leaves a kept-alive connection in the default fetch's pool.
    const earlier = await fetch(keyServer.url);
    await earlier.text();
    const verifier = testVerifier(CLIENT, { jwksUrl: keyServer.url, fetch: undefined, clock: () => Date.now() });

    const outcome = await verifier.verify(await validToken());

    expect(keyServer.resets()).toBe(1);
    expect(outcome.status).toBe('valid');
    expect(keyServer.answered()).toBe(2);
  });

  it('still answers jwks_unavailable when the key server keeps resetting', async () => {
    const failing = verifierFailingWith('ECONNRESET');
    expect((await failing.verifier.verify(await validToken())).status).toBe('jwks_unavailable');
    expect(failing.attempts()).toBe(2);
  });

  it('does not send again a fetch that failed for another reason', async () => {
    const failing = verifierFailingWith('ENOTFOUND');
    expect((await failing.verifier.verify(await validToken())).status).toBe('jwks_unavailable');
    expect(failing.attempts()).toBe(1);
  });
});

import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookDelivery, WebhookReply } from '../../src/control/webhook/receiver.js';
import type { TestEmulator } from './emulator.js';

/** One delivery the receiver got: the event as sent and the library's reply. */
export interface Received {
  event: { id: string; event: string; data: Record<string, unknown> };
  signature: string;
  body: string;
  reply: WebhookReply;
}

/** A loopback HTTP endpoint that hands every POST to `handle` and records it. */
export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Waits (bounded, 10 s) for a delivery matching `match`; throws when none arrives. */
  waitFor(match: (delivery: Received) => boolean): Promise<Received>;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port (port 0). */
export async function startWebhookReceiver(handle: (delivery: WebhookDelivery) => Promise<WebhookReply>): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = String(req.headers['workos-signature'] ?? '');
      handle({ body, signature }).then((reply) => {
        received.push({ event: JSON.parse(body), signature, body, reply });
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/workos`,
    received,
    async waitFor(match) {
      for (let i = 0; i < 1_000; i++) {
        const found = received.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('no matching webhook delivery within 10 s');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Registers an endpoint with the emulator through its webhook endpoints API, with our secret. */
export async function registerEndpoint(em: TestEmulator, url: string, secret: string): Promise<string> {
  const response = await emulatorApi(em, 'POST', '/webhook_endpoints', { endpoint_url: url, secret });
  return ((await response.json()) as { id: string }).id;
}

/** Calls the emulator's API as the application would (bearer API key), throwing on an error status. */
export async function emulatorApi(em: TestEmulator, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${em.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${em.apiKey}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
  return response;
}

/** A `WorkOS-Signature` header for `body`: HMAC-SHA256 of `${t}.${body}` with the raw timestamp, as WorkOS computes it. */
export function signBody(body: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A delivery of a made-up event, signed with `secret` at `timestampMs` (milliseconds, or seconds with `inSeconds`). */
export function delivery(
  event: string,
  data: Record<string, unknown>,
  secret: string,
  options: { id?: string; timestampMs?: number; inSeconds?: boolean } = {},
): WebhookDelivery & { id: string } {
  const id = options.id ?? `event_${crypto.randomUUID()}`;
  const body = JSON.stringify({ id, event, data, created_at: new Date().toISOString() });
  const ms = options.timestampMs ?? Date.now();
  return { id, body, signature: signBody(body, secret, options.inSeconds ? Math.floor(ms / 1000) : ms) };
}

/** The session id (`sid`) of an access token, unverified. */
export function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString('utf8')).sid;
}

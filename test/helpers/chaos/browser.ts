import { cookieHeader, CookieJar } from '../../../src/testing/jar.js';
import { readAnswer, SESSION, timeout } from './answer.js';
import type { Rng } from './rng.js';
import type { Tally } from './tally.js';

/** What every simulated browser shares. */
export interface BrowserContext {
  /** The balancer's base URL. */
  base: string;
  tally: Tally;
  /** Session ids revoked or signed out, with the time the revocation was acknowledged. */
  revoked: Map<string, number>;
  /** Milliseconds between bursts, drawn uniformly. */
  gapMs: [number, number];
  /** Stop sending after this time. */
  deadline: number;
}

/**
 * A browser with its own cookie jar: signs in through the hosted flow (bound sign-in), then sends bursts of
 * 1–8 parallel page requests at random intervals. Each response's `Set-Cookie` is applied when that response
 * arrives, and each request of a burst reads the jar when it is sent (up to 100 ms apart), as a page loading
 * its resources does. A revoked or signed-out cookie is kept as a stolen copy and replayed later.
 */
export class SimBrowser {
  readonly jar = new CookieJar();
  /** Pending real action the scheduler asked for (done between bursts). */
  action: 'sign-out' | 'revoke' | undefined;
  /** Session id of each session cookie value seen in an authenticated answer. */
  private readonly sidOf = new Map<string, string>();
  /** Set while the current session has been revoked by an administrator: terminal answers are expected. */
  private revokedAt: number | undefined;

  constructor(
    readonly id: number,
    private readonly rng: Rng,
    private readonly context: BrowserContext,
  ) {}

  async run(): Promise<void> {
    const { deadline, gapMs } = this.context;
    while (Date.now() < deadline) {
      if (!this.jar.cookies.has(SESSION)) {
        if (!(await this.signIn())) await sleep(500);
        continue;
      }
      // Sign-outs and revocations are planned clear of Redis outages; one a slow burst pushed into one waits.
      const action = this.context.tally.timeline.inRedisOutage(Date.now()) ? undefined : this.action;
      if (action) this.action = undefined;
      if (action === 'sign-out') await this.signOut();
      else if (action === 'revoke') await this.revoke();
      else await this.burst(this.rng.int(1, 8));
      await sleep(Math.min(this.rng.between(gapMs[0], gapMs[1]), Math.max(0, deadline - Date.now())));
    }
  }

  private async signIn(): Promise<boolean> {
    const { base, tally } = this.context;
    try {
      const login = await this.send(`${base}/login`, { redirect: 'manual' });
      const authorize = await fetch(login.headers.get('location') ?? '', { redirect: 'manual', signal: timeout() });
      const location = authorize.headers.get('location');
      if (authorize.status !== 302 || !location) throw new Error(`authorize answered ${authorize.status}`);
      const callback = await this.send(`${base}/callback${new URL(location).search}`);
      const { body } = await readAnswer(callback);
      if (callback.status !== 200 || !body.sid) {
        tally.retry(`sign-in: ${body.reason ?? callback.status}`);
        tally.signInRetries += 1;
        return false;
      }
      const cookie = this.jar.cookies.get(SESSION);
      if (cookie !== undefined) this.remember(cookie, body.sid);
      this.revokedAt = undefined;
      tally.signIns += 1;
      return true;
    } catch (error) {
      tally.retry(`sign-in: ${error instanceof Error ? error.message.slice(0, 40) : 'error'}`);
      tally.signInRetries += 1;
      return false;
    }
  }

  private async burst(size: number): Promise<void> {
    const offsets = Array.from({ length: size }, (_, i) => (i === 0 ? 0 : this.rng.int(0, 100)));
    const answers = await Promise.all(offsets.map(async (offset) => (await sleep(offset), this.page())));
    const terminal = answers.find((a) => a !== undefined && a.terminal);
    if (!terminal) return;
    const expected = this.revokedAt !== undefined && terminal.sentAt >= this.revokedAt;
    this.context.tally.logout(this.id, expected ? 'revoked' : 'spurious', terminal.reason, terminal.sentAt, terminal.receivedAt);
    if (expected) {
      // The user signs in again; the old cookie stays deleted.
      this.jar.cookies.delete(SESSION);
      this.revokedAt = undefined;
    }
  }

  /** One page request with whatever the jar holds when it is sent. */
  private async page(): Promise<{ terminal: boolean; reason: string; sentAt: number; receivedAt: number } | undefined> {
    const cookie = this.jar.cookies.get(SESSION);
    if (cookie === undefined) return undefined;
    const { tally, revoked } = this.context;
    const sentAt = Date.now();
    let response: Response;
    try {
      response = await this.send(`${this.context.base}/page`);
    } catch (error) {
      tally.exception(`page: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const { body, sessionCookie } = await readAnswer(response);
    const receivedAt = Date.now();
    tally.answer(response.status, sentAt, receivedAt);
    if (response.status === 200 && body.sid) {
      const before = this.sidOf.get(cookie);
      this.remember(sessionCookie ?? cookie, body.sid);
      const revokedAt = revoked.get(body.sid) ?? revoked.get(before ?? '');
      if (revokedAt !== undefined && sentAt > revokedAt) tally.servedRevoked(this.id, 'page after revocation', sentAt);
      return undefined;
    }
    if (response.status === 500) tally.exception(`page answered 500 (${body.reason ?? ''})`);
    else if (body.retryable || response.status === 502 || response.status === 503) tally.retry(body.reason ?? String(response.status));
    else return { terminal: true, reason: body.reason ?? String(response.status), sentAt, receivedAt };
    return undefined;
  }

  /** A real sign-out: the session is revoked everywhere; the old cookie is replayed later by an attacker. */
  private async signOut(): Promise<void> {
    const stolen = this.jar.cookies.get(SESSION) as string;
    const sentAt = Date.now();
    const response = await this.send(`${this.context.base}/signout`, { method: 'POST' }).catch(() => undefined);
    if (!response) return;
    const { body } = await readAnswer(response);
    if (response.status !== 200 || !body.signedOut) return void this.context.tally.retry(`sign-out: ${body.reason ?? response.status}`);
    this.context.revoked.set(body.signedOut, Date.now());
    this.context.tally.logout(this.id, 'sign-out', 'sign-out', sentAt, Date.now());
    if (this.jar.cookies.has(SESSION)) this.context.tally.exception('sign-out left a session cookie');
    void this.replayLater(stolen, 'replay after sign-out');
  }

  /** An administrator revokes this browser's current session; the browser carries on until told. */
  private async revoke(): Promise<void> {
    const cookie = this.jar.cookies.get(SESSION) as string;
    const sid = this.sidOf.get(cookie);
    if (!sid) return;
    const response = await this.send(`${this.context.base}/admin/revoke?sid=${encodeURIComponent(sid)}`, { method: 'POST', cookie: false });
    await response.body?.cancel();
    // A 503 means WorkOS could not be told (a fault); the shared record is written either way.
    const at = Date.now();
    this.context.revoked.set(sid, at);
    this.revokedAt = at;
    void this.replayLater(cookie, 'replay after revocation');
  }

  /** Replays a revoked cookie three times over the next seconds, from a jar of its own. */
  private async replayLater(cookie: string, how: string): Promise<void> {
    const { tally, base, deadline } = this.context;
    for (const delay of [1_000, 3_000, 6_000]) {
      await sleep(delay);
      if (Date.now() >= deadline) return;
      const sentAt = Date.now();
      const response = await fetch(`${base}/page`, {
        headers: { cookie: cookieHeader({ [SESSION]: encodeURIComponent(cookie) }) },
        signal: timeout(),
      }).catch(() => undefined);
      if (!response) continue;
      await response.body?.cancel();
      tally.replays += 1;
      if (response.status === 200) tally.servedRevoked(this.id, how, sentAt);
    }
  }

  private remember(cookie: string, sid: string): void {
    this.sidOf.set(cookie, sid);
    // Keep the map small: only the last few cookies can still be in flight.
    while (this.sidOf.size > 16) this.sidOf.delete(this.sidOf.keys().next().value as string);
  }

  private send(url: string, init: { method?: string; redirect?: RequestRedirect; cookie?: boolean } = {}): Promise<Response> {
    const headers: Record<string, string> = init.cookie === false ? {} : { cookie: cookieHeader(this.jar.wire()) };
    return fetch(url, { method: init.method ?? 'GET', redirect: init.redirect ?? 'follow', headers, signal: timeout() }).then(
      (response) => {
        // The jar takes the cookies the moment the response arrives, before anything else of this request.
        this.jar.apply(response.headers.getSetCookie());
        return response;
      },
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The demo app in Chromium with `sessionMode: 'server'` and sessions in a real redis-server: the cookie is a
 * 90-character signed id that never changes (sign-in, organization switch, a refresh hit by 10 parallel
 * requests), the session is in Redis, and sign-out deletes it so the old cookie is refused.
 */
import type { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../examples/demo/app.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { demoSeams, getMe, openPage } from './demoPage.js';

let demo: Demo;
let redis: TestRedis;
let admin: Redis;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const { clock, workos, events, service } = demoSeams();
/** Every `Set-Cookie` the browser received from the demo. */
const setCookies: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  admin = redis.client();
  demo = await startDemo({
    port: 0,
    config: { refreshBufferSeconds: 0, clockToleranceSeconds: 0, sessionMode: 'server', redisUrl: redis.url },
    service,
  });
  ({ browser, context, page } = await openPage());
  page.on('response', async (response) => {
    if (!response.url().startsWith(demo.url)) return;
    for (const { name, value } of await response.headersArray()) if (name.toLowerCase() === 'set-cookie') setCookies.push(value);
  });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  admin?.disconnect();
  await redis?.stop();
});

async function sessionCookie(): Promise<string | undefined> {
  return (await context.cookies(demo.url)).find((cookie) => cookie.name === 'wos-session')?.value;
}

const fetchMe = (times: number) => getMe(page, times);

describe("demo app in Chromium, sessionMode: 'server' on Redis", () => {
  let signedIn: string;

  it('signs in: the cookie is a signed id, the session is in Redis', async () => {
    await page.goto(demo.url);
    await Promise.all([page.waitForURL(`${demo.url}/dashboard`), page.getByRole('link', { name: 'Sign in' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('Dashboard');
    signedIn = (await sessionCookie()) as string;
    expect(signedIn).toMatch(/^s1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(await admin.keys('authkit:session:*')).toHaveLength(1);
    const sessionLines = setCookies.filter((line) => line.startsWith('wos-session='));
    expect(sessionLines).toHaveLength(1);
    expect(new TextEncoder().encode(sessionLines[0]).length).toBeLessThan(200);
  });

  it('switches organization without changing the cookie', async () => {
    await Promise.all([page.waitForURL(`${demo.url}/dashboard`), page.getByRole('button', { name: 'Switch to Globex' }).click()]);
    expect(await page.locator('body').innerText()).toContain('Globex');
    expect(await sessionCookie()).toBe(signedIn);
  });

  it('refreshes once for 10 parallel requests with an expired token, with no Set-Cookie and no logout', async () => {
    const [before] = await fetchMe(1);
    const token = (before?.body as { accessToken: { issuedAt: number; expiresAt: number } }).accessToken;
    while (Math.floor(Date.now() / 1000) < token.issuedAt + 3) await page.waitForTimeout(100);
    clock.offsetMs = (token.expiresAt + 1) * 1000 - Date.now();
    const grantsBefore = workos.refreshGrants();
    const linesBefore = setCookies.length;
    const eventsBefore = events.length;
    const results = await fetchMe(10);
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.every((r) => (r.body.accessToken as { expiresAt: number }).expiresAt > token.expiresAt)).toBe(true);
    expect(workos.refreshGrants() - grantsBefore).toBe(1);
    expect(setCookies.slice(linesBefore).filter((line) => line.startsWith('wos-session='))).toEqual([]);
    expect(events.slice(eventsBefore).map((e) => e.type)).not.toContain('session.rejected');
    await page.reload();
    expect(await page.locator('h1').innerText()).toBe('Dashboard');
    expect(await sessionCookie()).toBe(signedIn);
  });

  it('signs out: the record leaves Redis and the old cookie is refused', async () => {
    await Promise.all([page.waitForURL(`${demo.url}/`), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await sessionCookie()).toBeUndefined();
    expect(await admin.keys('authkit:session:*')).toEqual([]);
    await context.addCookies([{ name: 'wos-session', value: signedIn, url: demo.url }]);
    const [after] = await fetchMe(1);
    expect(after?.status).toBe(401);
    expect(after?.body.reason).toBe('session_revoked');
  });
});

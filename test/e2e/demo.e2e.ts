/**
 * The demo app in a real browser (Debian's Chromium through playwright-core): sign in through the emulator's
 * hosted page, dashboard, organization switch, an expired access token hit by 10 parallel requests (one
 * refresh, no logout), reload, sign out. The steps share one page and run in order.
 * Writes test-results/dashboard.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../examples/demo/app.js';
import { demoSeams, getMe, openPage } from './demoPage.js';

const SCREENSHOT = join('test-results', 'dashboard.png');

interface Me {
  email: string;
  organization: string | null;
  role: string | null;
  accessToken: { issuedAt: number; expiresAt: number };
}

let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const { clock, workos, events, service } = demoSeams();
/** Every URL the browser requested, in order. */
const visited: string[] = [];

beforeAll(async () => {
  demo = await startDemo({
    port: 0,
    // No proactive window and no skew allowance: a token counts as expired exactly one second after its
    // `exp`, so the test clock can expire the current token while tokens issued seconds later stay valid.
    config: { refreshBufferSeconds: 0, clockToleranceSeconds: 0 },
    service,
  });
  ({ browser, context, page } = await openPage());
  page.on('request', (request) => visited.push(request.url()));
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** The page's text, whitespace collapsed. */
async function text(): Promise<string> {
  return (await page.locator('body').innerText()).replace(/\s+/g, ' ');
}

/** A dashboard table cell by its row header. */
async function row(header: string): Promise<string> {
  return (
    await page
      .locator('tr', { has: page.locator('th', { hasText: header }) })
      .locator('td')
      .innerText()
  ).trim();
}

/** GET /api/me from the page, as its own script would. */
const fetchMe = (page: Page, times: number) => getMe<Me & { reason?: string }>(page, times);

async function sessionCookie(): Promise<string | undefined> {
  return (await context.cookies(demo.url)).find((cookie) => cookie.name === 'wos-session')?.value;
}

describe('demo app in Chromium', () => {
  it('signs in through the hosted page and lands on the dashboard', async () => {
    await page.goto(demo.url);
    expect(await text()).toContain('You are signed out');
    await Promise.all([page.waitForURL(`${demo.url}/dashboard`), page.getByRole('link', { name: 'Sign in' }).click()]);
    expect(visited.some((url) => url.startsWith(`${demo.emulatorUrl}/user_management/authorize`))).toBe(true);
    expect(visited.some((url) => url.startsWith(`${demo.url}/callback?`))).toBe(true);
    expect(await page.locator('h1').innerText()).toBe('Dashboard');
    expect(await row('Email')).toBe(demo.email);
    expect(await sessionCookie()).toBeTruthy();
  });

  it('switches organization', async () => {
    await Promise.all([page.waitForURL(`${demo.url}/dashboard`), page.getByRole('button', { name: 'Switch to Globex' }).click()]);
    expect(await row('Organization')).toContain('Globex');
    expect(await row('Role')).toBe('member');
    expect(await page.getByRole('button', { name: 'Switch to Globex' }).isDisabled()).toBe(true);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('refreshes once when 10 parallel requests carry an expired access token', async () => {
    const [before] = await fetchMe(page, 1);
    expect(before?.status).toBe(200);
    const { issuedAt, expiresAt } = (before as { body: Me }).body.accessToken;
    // Tokens issued from now on must expire after the test clock's "now" (one second past the current
    // token's `exp`): wait until the emulator's clock (real time) is at least 3 s past this token's `iat`.
    while (Math.floor(Date.now() / 1000) < issuedAt + 3) await page.waitForTimeout(100);
    clock.offsetMs = (expiresAt + 1) * 1000 - Date.now();
    const refreshesBefore = workos.refreshGrants();
    const eventsBefore = events.length;
    const setCookies: string[] = [];
    const onResponse = async (response: import('playwright-core').Response): Promise<void> => {
      if (!response.url().endsWith('/api/me')) return;
      for (const { name, value } of await response.headersArray()) if (name.toLowerCase() === 'set-cookie') setCookies.push(value);
    };
    page.on('response', onResponse);
    const results = await fetchMe(page, 10);
    page.off('response', onResponse);

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (const { body } of results) expect([body.email, body.organization, body.role]).toEqual([demo.email, 'Globex', 'member']);
    expect(results.every(({ body }) => body.accessToken.expiresAt > expiresAt)).toBe(true);
    const during = events.slice(eventsBefore).map((event) => event.type);
    const tally = [...new Set(during)].map((type) => `${type} ×${during.filter((t) => t === type).length}`);
    console.log(`10 parallel requests: ${workos.refreshGrants() - refreshesBefore} refresh grant(s) reached WorkOS; ${tally.join(', ')}`);
    expect(workos.refreshGrants() - refreshesBefore).toBe(1);
    expect(during.filter((type) => type === 'refresh.succeeded')).toHaveLength(1);
    expect(during).not.toContain('session.rejected');
    // No logout: some responses save the refreshed session, none deletes the cookie.
    const session = setCookies.filter((value) => value.startsWith('wos-session='));
    expect(session.length).toBeGreaterThan(0);
    expect(session.some((value) => /max-age=0|expires=thu, 01 jan 1970/i.test(value))).toBe(false);
  });

  it('is still signed in after a reload', async () => {
    await page.reload();
    expect(await page.locator('h1').innerText()).toBe('Dashboard');
    expect(await row('Email')).toBe(demo.email);
    expect(await row('Organization')).toContain('Globex');
  });

  it('signs out', async () => {
    await Promise.all([page.waitForURL(`${demo.url}/`), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await text()).toContain('You are signed out');
    expect(await sessionCookie()).toBeUndefined();
    const [after] = await fetchMe(page, 1);
    expect(after).toEqual({ status: 401, body: { reason: 'no_session', retryable: false } });
  });
});

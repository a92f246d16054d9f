/**
 * Session control in a real browser (Debian's Chromium through playwright-core): two browsers signed in as
 * the same user; "sign out other sessions" in one signs the other out on its next navigation; a session
 * revoked at WorkOS (the emulator's API, delivered to the demo by webhook) is signed out the same way; the
 * admin page follows the role of the current organization.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../examples/demo/app.js';
import type { AuthKitEvent } from '../../src/index.js';
import { launchChromium } from './browser.js';

let demo: Demo;
let browser: Browser;
const contexts: BrowserContext[] = [];
const events: AuthKitEvent[] = [];

beforeAll(async () => {
  demo = await startDemo({ port: 0, service: { onEvent: (event) => events.push(event) } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** A new browser (own cookie jar) signed in through the hosted page. */
async function signedInBrowser(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${demo.url}/login`);
  await page.waitForURL(`${demo.url}/dashboard`);
  return page;
}

async function text(page: Page): Promise<string> {
  return (await page.locator('body').innerText()).replace(/\s+/g, ' ');
}

describe('session control in Chromium', () => {
  it('"Sign out other sessions" in one browser signs the other out on its next navigation', async () => {
    const [a, b] = [await signedInBrowser(), await signedInBrowser()];
    await b.goto(`${demo.url}/`);
    expect(await text(b)).toContain('Signed in as');
    await a.goto(`${demo.url}/sessions`);
    expect(await a.locator('h1').innerText()).toBe('Active sessions');
    expect(await a.locator('tr', { hasText: '(this browser)' }).count()).toBe(1);
    expect(await a.locator('tr').count()).toBeGreaterThan(2);
    await Promise.all([a.waitForURL(`${demo.url}/sessions`), a.getByRole('button', { name: 'Sign out other sessions' }).click()]);
    // Only this browser's session is left.
    expect(await a.locator('tr').count()).toBe(2);
    await b.goto(`${demo.url}/`);
    expect(await text(b)).toContain('You are signed out');
    expect(await text(b)).toContain('session_revoked');
    expect((await b.context().cookies(demo.url)).some((c) => c.name === 'wos-session')).toBe(false);
    await a.goto(`${demo.url}/`);
    expect(await text(a)).toContain('Signed in as');
  });

  it('a session revoked through the WorkOS API (webhook) is signed out on its next navigation', async () => {
    const page = await signedInBrowser();
    const sessionId = (await page.locator('tr', { hasText: 'Session id' }).locator('td').innerText()).trim();
    const before = events.length;
    const response = await fetch(`${demo.emulatorUrl}/user_management/sessions/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${demo.emulatorApiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ session_id: sessionId }),
    });
    expect(response.status).toBe(200);
    // The emulator delivers asynchronously; the demo records it on arrival (bounded wait, 5 s).
    const delivered = () => events.slice(before).some((e) => e.type === 'webhook.received' && e.action === 'revoke_session');
    for (let i = 0; i < 100 && !delivered(); i++) {
      await page.waitForTimeout(50);
    }
    expect(delivered()).toBe(true);
    await page.goto(`${demo.url}/`);
    expect(await text(page)).toContain('session_revoked');
  });

  it('the admin page follows the role in the current organization: 403 as member, open as admin', async () => {
    const page = await signedInBrowser();
    await Promise.all([page.waitForURL(`${demo.url}/dashboard`), page.getByRole('button', { name: 'Switch to Globex' }).click()]);
    const forbidden = await page.goto(`${demo.url}/admin`);
    expect(forbidden?.status()).toBe(403);
    expect(await text(page)).toContain('role_required');
    await page.goto(`${demo.url}/dashboard`);
    await Promise.all([page.waitForURL(`${demo.url}/dashboard`), page.getByRole('button', { name: 'Switch to Acme' }).click()]);
    const open = await page.goto(`${demo.url}/admin`);
    expect(open?.status()).toBe(200);
    expect(await text(page)).toContain('members:manage');
  });
});

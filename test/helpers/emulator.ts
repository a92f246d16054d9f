import { createEmulator, type Emulator } from 'workos/emulate';

export const DEMO_EMAIL = 'demo@example.com';
export const OTHER_EMAIL = 'other@example.com';
export const PASSWORD = 'correct-horse-battery-staple-42';
export const CLIENT_ID = 'client_test_authkit';
export const COOKIE_PASSWORD = 'a-very-long-cookie-password-of-at-least-32-chars';
export const REDIRECT_URI = 'http://localhost:3000/callback';

/** The seed used by tests: two users, two organizations with memberships, roles with permissions. */
export const SEED = {
  users: [
    { email: DEMO_EMAIL, first_name: 'Demo', last_name: 'User', password: PASSWORD, email_verified: true },
    { email: OTHER_EMAIL, first_name: 'Other', password: PASSWORD },
  ],
  permissions: [
    { slug: 'posts:read', name: 'Read posts' },
    { slug: 'posts:write', name: 'Write posts' },
  ],
  roles: [
    { slug: 'admin', name: 'Admin', permissions: ['posts:read', 'posts:write'] },
    { slug: 'member', name: 'Member', permissions: ['posts:read'] },
  ],
  organizations: [
    { name: 'Acme', memberships: [] as { user_id: string; role?: string }[] },
    { name: 'Globex', memberships: [] as { user_id: string; role?: string }[] },
  ],
};

export interface TestEmulator {
  emulator: Emulator;
  url: string;
  port: number;
  apiKey: string;
  /** Organization ids by name, and user ids by email. */
  orgs: Record<string, string>;
  users: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the WorkOS emulator on a free port, seeds users and organizations, and adds memberships through
 * the emulator's own API (demo is admin of Acme and member of Globex).
 */
export async function startEmulator(): Promise<TestEmulator> {
  const emulator = await createEmulator({ port: 0, seed: SEED });
  const base = emulator.url;
  const headers = { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/json' };
  const list = async (path: string) =>
    ((await (await fetch(`${base}${path}`, { headers })).json()) as { data: { id: string; name?: string; email?: string }[] }).data;
  const orgs = Object.fromEntries((await list('/organizations')).map((o) => [o.name as string, o.id]));
  const users = Object.fromEntries((await list('/user_management/users')).map((u) => [u.email as string, u.id]));
  const memberships: [string, string, string][] = [
    [DEMO_EMAIL, 'Acme', 'admin'],
    [DEMO_EMAIL, 'Globex', 'member'],
  ];
  for (const [email, org, role] of memberships) {
    const res = await fetch(`${base}/user_management/organization_memberships`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ user_id: users[email], organization_id: orgs[org], role_slug: role }),
    });
    if (!res.ok) throw new Error(`membership seed failed: ${res.status} ${await res.text()}`);
  }
  return { emulator, url: base, port: emulator.port, apiKey: emulator.apiKey, orgs, users, close: () => emulator.close() };
}

/** Library configuration pointing at an emulator (or a proxy in front of it). */
export function configFor(port: number, apiKey: string, extra: Record<string, unknown> = {}) {
  return {
    clientId: CLIENT_ID,
    apiKey,
    redirectUri: REDIRECT_URI,
    cookiePassword: COOKIE_PASSWORD,
    apiHostname: 'localhost',
    apiPort: port,
    apiHttps: false,
    ...extra,
  };
}

/** The same configuration as `WORKOS_*` environment variables (strings), for value-source tests. */
export function envFor(port: number, apiKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WORKOS_CLIENT_ID: CLIENT_ID,
    WORKOS_API_KEY: apiKey,
    WORKOS_REDIRECT_URI: REDIRECT_URI,
    WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD,
    WORKOS_API_HOSTNAME: 'localhost',
    WORKOS_API_PORT: String(port),
    WORKOS_API_HTTPS: 'false',
    ...extra,
  };
}

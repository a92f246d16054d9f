import { createEmulator } from 'workos/emulate';

export const DEMO_EMAIL = 'demo@example.com';
/** Only the emulator's password grant uses it: its hosted sign-in signs the demo user in without a form. */
export const DEMO_PASSWORD = 'demo-password-not-a-secret';

/** Organization ids by name. */
export type Organizations = Record<'Acme' | 'Globex', string>;

export interface DemoEmulator {
  url: string;
  port: number;
  apiKey: string;
  organizations: Organizations;
  close(): Promise<void>;
}

const SEED = {
  users: [{ email: DEMO_EMAIL, first_name: 'Demo', last_name: 'User', password: DEMO_PASSWORD, email_verified: true }],
  permissions: [
    { slug: 'projects:read', name: 'Read projects' },
    { slug: 'projects:write', name: 'Write projects' },
    { slug: 'members:manage', name: 'Manage members' },
  ],
  roles: [
    { slug: 'admin', name: 'Admin', permissions: ['projects:read', 'projects:write', 'members:manage'] },
    { slug: 'member', name: 'Member', permissions: ['projects:read'] },
  ],
  organizations: [{ name: 'Acme' }, { name: 'Globex' }],
};

const MEMBERSHIPS: [keyof Organizations, string][] = [
  ['Acme', 'admin'],
  ['Globex', 'member'],
];

/**
 * Starts the WorkOS emulator on a free port with the demo user, two organizations, roles and permissions,
 * and adds the memberships through the emulator's API (demo is admin of Acme and member of Globex).
 */
export async function startDemoEmulator(): Promise<DemoEmulator> {
  const emulator = await createEmulator({ port: 0, seed: SEED });
  try {
    const headers = { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/json' };
    const list = async (path: string): Promise<{ id: string; name?: string; email?: string }[]> => {
      const response = await fetch(`${emulator.url}${path}`, { headers });
      if (!response.ok) throw new Error(`emulator ${path} answered ${response.status}`);
      return ((await response.json()) as { data: { id: string; name?: string; email?: string }[] }).data;
    };
    const organizations = Object.fromEntries((await list('/organizations')).map((o) => [o.name, o.id])) as Organizations;
    const user = (await list('/user_management/users')).find((u) => u.email === DEMO_EMAIL);
    if (!user) throw new Error('emulator did not seed the demo user');
    for (const [name, role] of MEMBERSHIPS) {
      const response = await fetch(`${emulator.url}/user_management/organization_memberships`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ user_id: user.id, organization_id: organizations[name], role_slug: role }),
      });
      if (!response.ok) throw new Error(`emulator refused the ${name} membership: ${response.status}`);
    }
    return { url: emulator.url, port: emulator.port, apiKey: emulator.apiKey, organizations, close: () => emulator.close() };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

/**
 * Library configuration for an example served at `origin` and signed in against the embedded emulator
 * (instead of api.workos.com), with a fresh cookie password per start. In your app these come from
 * WORKOS_* environment variables.
 */
export function exampleConfig(emulator: DemoEmulator, origin: string) {
  return {
    clientId: 'client_example',
    apiKey: emulator.apiKey,
    redirectUri: `${origin}/callback`,
    cookiePassword: crypto.randomUUID() + crypto.randomUUID(),
    apiHostname: 'localhost',
    apiPort: emulator.port,
    apiHttps: false,
  };
}

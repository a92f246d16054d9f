// Drives a published @workos/authkit-tanstack-react-start server entry in plain Node, step by step, against
// the WorkOS emulator: sign-in URL → authorize → callback → authenticated request → refresh of an expired
// token → organization switch → sign-out → callback with a forged state. Copied into each scratch project by
// setup.mjs and run there (so bare imports resolve to that project's node_modules). Prints one JSON report.
//
// Inputs (environment): WORKOS_* (the library's configuration), CLIENT_ORG_ID (organization to switch to),
// CLIENT_LOGIN_HINT (user the emulator signs in).

// Time is shifted the way an app's fake timers shift it (Date and Date.now), to expire the access token.
const RealDate = Date;
let offsetMs = 0;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...args);
  }
  static now() {
    return RealDate.now() + offsetMs;
  }
}
globalThis.Date = ShiftedDate;

const errors = [];
const realConsoleError = console.error;
console.error = (...args) => {
  errors.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
};

const APP = 'http://localhost:3000';
const steps = [];
const jar = new Map();

function applySetCookie(lines) {
  for (const line of lines) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [key, val = ''] = a.trim().split('=');
      if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
      if (key.toLowerCase() === 'expires') return new RealDate(val).getTime() <= RealDate.now();
      return false;
    });
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
}

function requestFor(path, init = {}) {
  const cookie = [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
  const headers = new Headers(init.headers ?? {});
  if (cookie) headers.set('cookie', cookie);
  return new Request(new URL(path, APP), { ...init, headers });
}

async function step(name, fn) {
  const before = errors.length;
  try {
    const detail = await fn();
    steps.push({ name, ok: true, detail, errors: errors.slice(before) });
    return detail;
  } catch (error) {
    steps.push({ name, ok: false, detail: `${error?.name}: ${error?.message}`, errors: errors.slice(before) });
    return undefined;
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  const sdk = await import('@workos/authkit-tanstack-react-start');
  const { runRequest } = await import('@tanstack/react-start');
  const middleware = [sdk.authkitMiddleware()];
  const send = async (path, handle, init) => {
    const request = requestFor(path, init);
    const response = await runRequest(middleware, request, () => handle(request));
    const setCookie = response.headers.getSetCookie();
    applySetCookie(setCookie);
    return { response, setCookie };
  };
  const getAuth = async () => {
    let auth;
    const sent = await send('/dashboard', async () => {
      auth = await sdk.getAuth();
      return new Response('ok');
    });
    return { auth, ...sent };
  };
  const sessionLines = (lines) => lines.filter((l) => /^wos-session(\.\d+)?=/.test(l));

  let signInUrl;
  await step('sign-in URL', async () => {
    const { setCookie } = await send('/', async () => {
      signInUrl = await sdk.getSignInUrl({ data: { returnPathname: '/dashboard', loginHint: process.env.CLIENT_LOGIN_HINT } });
      return new Response('ok');
    });
    check(typeof signInUrl === 'string' && signInUrl.includes('/user_management/authorize'), 'no authorize URL');
    return { verifierCookies: setCookie.filter((l) => l.includes('wos-auth-verifier')).length };
  });

  let callbackUrl;
  await step('authorize', async () => {
    const response = await fetch(signInUrl, { redirect: 'manual' });
    check(response.status === 302, `authorize answered ${response.status}`);
    callbackUrl = new URL(response.headers.get('location'));
    check(callbackUrl.searchParams.get('code'), 'no code');
    return { path: callbackUrl.pathname };
  });

  await step('callback', async () => {
    const { response, setCookie } = await send(callbackUrl.pathname + callbackUrl.search, (request) =>
      sdk.handleCallbackRoute()({ request }),
    );
    check(response.status === 307, `callback answered ${response.status}: ${await response.text()}`);
    check(jar.has('wos-session'), 'no session cookie stored');
    check(![...jar.keys()].some((n) => n.includes('wos-auth-verifier')), 'verifier cookie left behind');
    return { location: new URL(response.headers.get('location')).pathname, sessionSetCookies: sessionLines(setCookie).length };
  });

  let firstToken;
  await step('authenticated request', async () => {
    const { auth, setCookie } = await getAuth();
    check(auth?.user?.email === process.env.CLIENT_LOGIN_HINT, `user is ${auth?.user?.email ?? 'null'}`);
    firstToken = auth.accessToken;
    return { setCookies: setCookie.length, organizationId: auth.organizationId ?? null };
  });

  await step('refresh of an expired token', async () => {
    offsetMs = 2 * 60 * 60 * 1000;
    const { auth, setCookie } = await getAuth();
    offsetMs = 0;
    check(auth?.user, 'not authenticated after the token expired');
    check(sessionLines(setCookie).length === 1, `refresh wrote ${sessionLines(setCookie).length} session cookies: ${setCookie.join(' | ')}`);
    const after = await getAuth();
    check(after.auth?.user, 'the refreshed session does not authenticate');
    check(after.auth.accessToken !== firstToken, 'the access token did not change');
    return { sessionSetCookies: 1 };
  });

  await step('organization switch', async () => {
    let switched;
    await send('/switch', async () => {
      switched = await sdk.switchToOrganization({ data: { organizationId: process.env.CLIENT_ORG_ID } });
      return new Response('ok');
    }, { method: 'POST' });
    check(switched?.organizationId === process.env.CLIENT_ORG_ID, `switch answered ${JSON.stringify(switched?.organizationId)}`);
    const { auth } = await getAuth();
    check(auth?.organizationId === process.env.CLIENT_ORG_ID, `next request is in ${auth?.organizationId}`);
    return { organizationId: auth.organizationId };
  });

  await step('sign-out', async () => {
    const { response } = await send('/logout', () => sdk.signOut({ data: { returnTo: '/' } }), { method: 'POST' });
    check(response.headers.get('location')?.includes('/user_management/sessions/logout'), `sign-out went to ${response.headers.get('location')}`);
    check(!jar.has('wos-session'), 'session cookie still set');
    const { auth } = await getAuth();
    check(auth?.user === null, 'still authenticated after sign-out');
    return {};
  });

  await step('callback with a forged state', async () => {
    const mark = errors.length;
    const { response } = await send('/callback?code=01FORGEDCODE&state=forged.state', (request) => sdk.handleCallbackRoute()({ request }));
    const errorsHere = errors.slice(mark).join('\n');
    check(response.status >= 400 && response.status < 600, `forged state answered ${response.status}`);
    check(!/TypeError/.test(errorsHere), `a TypeError was raised: ${errorsHere}`);
    check(!jar.has('wos-session'), 'a session was set');
    return { status: response.status };
  });
}

main()
  .catch((error) => steps.push({ name: 'load', ok: false, detail: `${error?.name}: ${error?.message}`, errors: [] }))
  .finally(() => {
    console.error = realConsoleError;
    process.stdout.write(`${JSON.stringify({ steps })}\n`);
  });

/** A Fetch `Request` carrying the given cookies. */
export function requestWithCookies(cookies: Record<string, string>, url = 'http://localhost:3000/'): Request {
  const header = Object.entries(cookies)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('; ');
  return new Request(url, header ? { headers: { cookie: header } } : {});
}

/** The cookie value a `Set-Cookie` header sets (URL-decoded), or `undefined` when it deletes. */
export function setCookieValue(header: string): string | undefined {
  const first = header.split(';')[0] ?? '';
  const value = first.slice(first.indexOf('=') + 1);
  return /max-age=0(;|$)/i.test(header) ? undefined : decodeURIComponent(value);
}

const PLACEHOLDER_ORIGIN = 'https://placeholder.invalid';

// RFC 3986 characters a path may hold as they are (unreserved, sub-delims but `'`, `:`, `@`, `/`); `%` only
// as the start of an escape. Everything else is percent-encoded.
const PATH_UNSAFE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&()*+,;=:@/%]/g;
// Queries and fragments may also hold `?` (and `/`).
const QUERY_UNSAFE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&()*+,;=:@/%?]/g;

/**
 * Reduces a return path to a same-origin path + search + hash, so it can never redirect elsewhere:
 * absolute URLs keep only their path, `//evil` and `/\evil` collapse to `/evil`, control characters
 * make the whole value fall back to `/`. The result is percent-encoded (no raw `"`, `'`, `<`, `>`, `\`,
 * spaces or non-ASCII; `%` only in escapes) and sanitising it again changes nothing.
 */
export function sanitizeReturnPathname(value: unknown): string {
  // One pass can leave a form the next pass reads differently (`javascript:.` gives `/.`, which is `/`):
  // repeat until nothing changes, a few times at most; a value that never settles is `/`.
  let current = reduce(value);
  for (let pass = 0; pass < 4; pass += 1) {
    const next = reduce(current);
    if (next === current) return current;
    current = next;
  }
  return '/';
}

/** One reduction to a same-origin, percent-encoded path. */
function reduce(value: unknown): string {
  if (typeof value !== 'string' || value === '' || /[\u0000-\u001f\u007f]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  const path = `/${url.pathname.replace(/^[/\\]+/, '')}`.replace(PATH_UNSAFE, escape);
  const search = url.search.replace(QUERY_UNSAFE, escape);
  const hash = url.hash ? `#${url.hash.slice(1).replace(QUERY_UNSAFE, escape)}` : '';
  return `${path}${search}${hash}`;
}

/** The URL parser has already encoded every non-ASCII character, so `c` is one ASCII character. */
function escape(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

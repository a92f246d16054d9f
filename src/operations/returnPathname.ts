const PLACEHOLDER_ORIGIN = 'https://placeholder.invalid';

/**
 * Reduces a return path to a same-origin path + search + hash, so it can never redirect elsewhere:
 * absolute URLs keep only their path, `//evil` and `/\evil` collapse to `/evil`, control characters
 * make the whole value fall back to `/`. Non-Latin-1 paths are kept (percent-encoded).
 */
export function sanitizeReturnPathname(value: unknown): string {
  if (typeof value !== 'string' || value === '' || /[\u0000-\u001f\u007f]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  const path = `/${url.pathname.replace(/^[/\\]+/, '')}`;
  return `${path}${url.search}${url.hash}`;
}

import { parseCookieHeader } from './parseCookieHeader.js';

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A storage's view of `Cookie` headers: parses a header once and answers the next reads of the same header
 * from that parse, so a session split over several cookies, and a write that looks for the parts a request
 * carried, cost one parse per request rather than one per cookie. Only the last header is kept; a
 * different header (the next request) is parsed afresh. Callers must not change the map it returns.
 */
export class CookieHeaderMemo {
  private header: string | undefined;
  private cookies: Readonly<Record<string, string>> = EMPTY;

  /** @param parse parses one header (the storage's `parseCookieHeader` hook). */
  constructor(private readonly parse: (header: string) => Record<string, string> = parseCookieHeader) {}

  /** The cookies of `header`, name → URL-decoded value; an empty map for an absent header. */
  read(header: string | null | undefined): Readonly<Record<string, string>> {
    if (!header) return EMPTY;
    if (header !== this.header) {
      this.cookies = this.parse(header);
      this.header = header;
    }
    return this.cookies;
  }
}

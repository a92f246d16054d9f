/**
 * One-part tamperings of an iron seal body split at `*`, for tests that check an unsealer fails on each
 * exactly as iron-webcrypto does.
 */
export const SEAL_TAMPERINGS: [string, (parts: string[]) => void][] = [
  ['prefix', (p) => (p[0] = 'Fe26.1')],
  ['password id', (p) => (p[1] = '2')],
  ['empty password id', (p) => (p[1] = '')],
  ['encryption salt (one digit)', (p) => (p[2] = flip(p[2] as string))],
  ['encryption salt (upper case)', (p) => (p[2] = (p[2] as string).toUpperCase())],
  ['encryption salt (empty)', (p) => (p[2] = '')],
  ['iv (one character)', (p) => (p[3] = flip(p[3] as string))],
  ['iv (short)', (p) => (p[3] = (p[3] as string).slice(0, 20))],
  ['ciphertext (one character)', (p) => (p[4] = flip(p[4] as string))],
  ['ciphertext (truncated)', (p) => (p[4] = (p[4] as string).slice(0, -4))],
  ['ciphertext (empty)', (p) => (p[4] = '')],
  ['ciphertext (standard base64 character)', (p) => (p[4] = `+${(p[4] as string).slice(1)}`)],
  ['expiry (added)', (p) => (p[5] = String(Date.now() + 60_000))],
  ['expiry (not a number)', (p) => (p[5] = 'soon')],
  ['expiry (leading zero)', (p) => (p[5] = '0123')],
  ['hmac salt (one digit)', (p) => (p[6] = flip(p[6] as string))],
  ['hmac salt (empty)', (p) => (p[6] = '')],
  ['hmac (one character)', (p) => (p[7] = flip(p[7] as string))],
  ['hmac (truncated)', (p) => (p[7] = (p[7] as string).slice(0, 40))],
  ['hmac (one character too many)', (p) => (p[7] = `${p[7]}A`)],
  ['hmac (empty)', (p) => (p[7] = '')],
  ['a part dropped', (p) => p.splice(3, 1)],
  ['a part added', (p) => p.push('extra')],
];

/** Changes one character in the middle of a string to another of the same alphabet. */
function flip(value: string): string {
  const index = Math.floor(value.length / 2);
  const char = value[index];
  const replacement = char === 'a' ? 'b' : 'a';
  return value.slice(0, index) + replacement + value.slice(index + 1);
}

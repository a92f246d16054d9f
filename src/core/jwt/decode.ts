import { base64url } from 'jose';
import { asciiJson } from '../encoding/base64url.js';

const PART = /^[A-Za-z0-9_-]+$/;
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A compact JWS split and decoded once, unverified: the checks before verification (revocation, session
 * control) and the RS256 fast path all read this one decoding.
 */
export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly encodedHeader: string;
  readonly encodedPayload: string;
  readonly encodedSignature: string;
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function decodeJson(part: string): unknown {
  const ascii = asciiJson(part);
  if (ascii) return ascii.value;
  try {
    return JSON.parse(strictDecoder.decode(base64url.decode(part)));
  } catch {
    return undefined;
  }
}

/**
 * Decodes a plainly well-formed JWS: three unpadded base64url parts, a header and a payload that are plain
 * JSON objects in valid UTF-8. `undefined` for anything else (such a token is left to jose).
 */
export function decodeToken(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  if (!PART.test(encodedHeader) || !PART.test(encodedPayload) || !PART.test(encodedSignature)) return undefined;
  const header = decodeJson(encodedHeader);
  if (!plainObject(header)) return undefined;
  const claims = decodeJson(encodedPayload);
  if (!plainObject(claims)) return undefined;
  return { header, claims, encodedHeader, encodedPayload, encodedSignature };
}

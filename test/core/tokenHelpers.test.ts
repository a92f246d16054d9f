import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { TokenValidationError } from '../../src/core/errors.js';
import { CLIENT_ID } from '../helpers/emulator.js';
import { foreignKeyPair, signToken } from '../helpers/tokens.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { coreHelpersFor } from '../helpers/core.js';

const ctx = useEmulator();

const { freshSession, makeCore } = coreHelpersFor(ctx);

describe('token helpers', () => {
  it('verifyToken: true for a fresh emulator token, false when expired, forged or garbage', async () => {
    const { core, clock } = makeCore();
    const { accessToken } = await freshSession();
    expect(await core.verifyToken(accessToken)).toBe(true);
    const { privateKey } = await foreignKeyPair();
    expect(await core.verifyToken(await signToken(privateKey, decodeJwt(accessToken)))).toBe(false);
    expect(await core.verifyToken('garbage')).toBe(false);
    clock.advance(3600 + 10);
    expect(await core.verifyToken(accessToken)).toBe(false);
  });

  it('verifyToken tolerates clockToleranceSeconds of skew', async () => {
    const { core, clock } = makeCore({ clockToleranceSeconds: 30 });
    const { accessToken } = await freshSession();
    clock.advance(3600 + 20);
    expect(await core.verifyToken(accessToken)).toBe(true);
    clock.advance(20);
    expect(await core.verifyToken(accessToken)).toBe(false);
  });

  it('isTokenExpiring uses refreshBufferSeconds (60) by default and an explicit buffer otherwise', async () => {
    const { core, clock } = makeCore();
    const { accessToken } = await freshSession();
    expect(core.isTokenExpiring(accessToken)).toBe(false);
    clock.advance(3600 - 90);
    expect(core.isTokenExpiring(accessToken)).toBe(false);
    expect(core.isTokenExpiring(accessToken, 120)).toBe(true);
    clock.advance(40);
    expect(core.isTokenExpiring(accessToken)).toBe(true);
    expect(core.isTokenExpiring(accessToken, 0)).toBe(false);
  });

  it('isTokenExpiring is false for a token without exp', async () => {
    const { core } = makeCore();
    const { privateKey } = await foreignKeyPair();
    expect(core.isTokenExpiring(await signToken(privateKey, { sub: 'user_1', sid: 'session_1' }))).toBe(false);
  });

  it('parseTokenClaims decodes without verifying; malformed tokens throw TokenValidationError token_invalid', async () => {
    const { core } = makeCore();
    const { accessToken, user } = await freshSession();
    const claims = core.parseTokenClaims<{ extra?: string }>(accessToken);
    expect(claims).toMatchObject({ sub: user.id, sid: expect.stringMatching(/^session_/), aud: CLIENT_ID, iss: ctx.em.url });
    for (const bad of ['garbage', 'a.b.c', '']) {
      expect(() => core.parseTokenClaims(bad)).toThrow(TokenValidationError);
      expect(() => core.parseTokenClaims(bad)).toThrow(expect.objectContaining({ code: 'token_invalid', message: 'Invalid token' }));
      expect(() => core.isTokenExpiring(bad)).toThrow(TokenValidationError);
    }
  });
});

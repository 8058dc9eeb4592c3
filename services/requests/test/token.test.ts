// The token endpoint accepts only private_key_jwt assertions (RFC 7523) signed by the client's
// registered key, for this token URL, short-lived and never replayed, and refuses the others the
// RFC 6749 §5.2 way naming the failed check; the agency API accepts only the short EdDSA access
// tokens it issued (signed by a key of TOKEN_SIGNING_KEYS). Client keys rotate through the admin API.
import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { parseKeyRing } from '@hopthu/shared/config';
import { localSecret } from '@hopthu/shared/local-env';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  accessToken,
  admin,
  baseUrl,
  call,
  demo,
  newKeyPair,
  postToken,
  registerClient,
  signAssertion,
  tokenUrl,
  useRequests,
} from './security-helpers.ts';

useRequests();
const stttt = demo('stttt');

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function expectInvalidClient(assertion: string, failedCheck: string) {
  const res = await postToken(assertion);
  expect(res.status).toBe(401);
  // RFC 6749 §5.2: JSON with error and error_description, which OAuth client libraries report
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body = (await res.json()) as {
    error: string;
    error_description: string;
    failedCheck: string;
    code: string;
    message: { vi: string; en: string };
  };
  expect(body.error).toBe('invalid_client');
  expect(body.error_description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  expect(body.failedCheck).toBe(failedCheck);
  expect(body.code).toBe('invalid_client');
  expect(body.message.vi).toBeTruthy();
  return body;
}

describe('POST /oauth/token', () => {
  it('when a fresh assertion is signed by the registered key, then a Bearer token of a few minutes is issued', async () => {
    const res = await postToken(await signAssertion(stttt));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.expires_in).toBeLessThanOrEqual(900);
  });

  it('when the assertion has expired, then invalid_client saying expiry', async () => {
    await expectInvalidClient(
      await signAssertion({ ...stttt, issuedAtOffsetSeconds: -600, expiresInSeconds: 60 }),
      'expiry',
    );
  });

  it('when the assertion is long-lived (exp in an hour), then invalid_client', async () => {
    await expectInvalidClient(await signAssertion({ ...stttt, expiresInSeconds: 3600 }), 'lifetime');
  });

  it('when the assertion is signed by another key under the registered kid (forged), then invalid_client saying signature', async () => {
    const { privateJwk } = await newKeyPair(String(stttt.privateJwk.kid));
    const body = await expectInvalidClient(await signAssertion({ ...stttt, privateJwk }), 'signature');
    // nothing of the keys is echoed back
    expect(JSON.stringify(body)).not.toContain(String(privateJwk.d));
  });

  it('when the assertion is unsigned (alg: none), then invalid_client', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: stttt.clientId,
      sub: stttt.clientId,
      aud: tokenUrl,
      jti: randomUUID(),
      iat: now,
      exp: now + 60,
    };
    await expectInvalidClient(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, 'algorithm');
  });

  it('when the assertion is HS256 with the public key as secret (alg confusion), then invalid_client', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(stttt.privateJwk.x));
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: String(stttt.privateJwk.kid) })
      .setIssuer(stttt.clientId)
      .setSubject(stttt.clientId)
      .setAudience(tokenUrl)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(secret);
    await expectInvalidClient(jwt, 'algorithm');
  });

  it('when the assertion is for another audience, then invalid_client saying audience and the token URL', async () => {
    const body = await expectInvalidClient(
      await signAssertion({ ...stttt, audience: 'https://elsewhere.example/oauth/token' }),
      'audience',
    );
    expect(body.error_description).toContain(tokenUrl);
  });

  it('when the same assertion (jti) is sent twice, then the second is refused as a jti replay', async () => {
    const assertion = await signAssertion(stttt);
    expect((await postToken(assertion)).status).toBe(200);
    await expectInvalidClient(assertion, 'jti_replay');
  });

  it('when the client is unknown, then invalid_client', async () => {
    await expectInvalidClient(
      await signAssertion({ ...stttt, clientId: `nobody-${randomUUID()}` }),
      'client',
    );
  });

  it('when grant_type or the assertion type is wrong, then RFC 6749 errors (unsupported_grant_type, invalid_client)', async () => {
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'a', password: 'b' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type', failedCheck: 'grant_type' });
    const missing = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_assertion: 'x' }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    const secret = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: stttt.clientId,
        client_secret: 'x',
      }),
    });
    expect(secret.status).toBe(401);
    expect(await secret.json()).toMatchObject({ error: 'invalid_client', failedCheck: 'assertion_type' });
  });

  it('when a token is issued, then it is EdDSA with a kid the published JWK set holds', async () => {
    const res = await postToken(await signAssertion(stttt));
    const { access_token } = (await res.json()) as { access_token: string };
    const header = decodeProtectedHeader(access_token);
    expect(header.alg).toBe('EdDSA');
    const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; kty: string; crv: string; d?: string }[];
    };
    const published = jwks.keys.find((k) => k.kid === header.kid);
    expect(published).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });
});

describe('the agency API refuses bad access tokens', () => {
  const claims = () => ({ agency: stttt.agencyId });
  const hs = async (secret: string, edit: (j: SignJWT) => SignJWT) =>
    edit(new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setSubject(stttt.clientId)).sign(
      new TextEncoder().encode(secret),
    );
  // the installation's own signing key (var/secrets.env), to make tokens that fail one check only
  const ring = parseKeyRing(localSecret('TOKEN_SIGNING_KEYS'));
  const signing = ring[0]!;
  const ownKey = createPrivateKey({
    key: Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      Buffer.from(signing.material, 'base64url'),
    ]),
    format: 'der',
    type: 'pkcs8',
  });
  const ed = async (edit: (j: SignJWT) => SignJWT) =>
    edit(
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: 'at+jwt' })
        .setSubject(stttt.clientId),
    ).sign(ownKey);
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string>][] = [
    [
      'expired',
      () =>
        ed((j) =>
          j
            .setIssuer(tokenUrl)
            .setAudience('hopthu-requests')
            .setIssuedAt(now() - 3600)
            .setExpirationTime(now() - 1800),
        ),
    ],
    [
      'signed HS256 with the TOKEN_SECRET once committed to the repository',
      () =>
        hs('hopthu-dev-token-secret-change-me-0123456789', (j) =>
          j.setIssuer(tokenUrl).setAudience('hopthu-requests').setIssuedAt().setExpirationTime('5m'),
        ),
    ],
    [
      'signed HS256 with the committed admin token',
      () =>
        hs('hopthu-dev-admin-token', (j) =>
          j.setIssuer(tokenUrl).setAudience('hopthu-requests').setIssuedAt().setExpirationTime('5m'),
        ),
    ],
    [
      'forged (EdDSA with another key under the real kid)',
      async () => {
        const other = generateKeyPairSync('ed25519').privateKey;
        return new SignJWT(claims())
          .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: 'at+jwt' })
          .setSubject(stttt.clientId)
          .setIssuer(tokenUrl)
          .setAudience('hopthu-requests')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(other);
      },
    ],
    [
      'alg none',
      async () =>
        `${b64({ alg: 'none' })}.${b64({ ...claims(), sub: stttt.clientId, iss: tokenUrl, aud: 'hopthu-requests', iat: now(), exp: now() + 300 })}.`,
    ],
    [
      'wrong audience',
      () => ed((j) => j.setIssuer(tokenUrl).setAudience('another-api').setIssuedAt().setExpirationTime('5m')),
    ],
    ['a client assertion instead of an access token', () => signAssertion(stttt)],
    ['garbage', async () => 'not-a-jwt'],
  ];
  it('when a token is signed with the real key and every claim right, then it is accepted (the cases below fail one check each)', async () => {
    const token = await ed((j) =>
      j.setIssuer(tokenUrl).setAudience('hopthu-requests').setIssuedAt().setExpirationTime('5m'),
    );
    expect((await call('GET', '/v1/requests', { token })).status).toBe(200);
  });
  for (const [name, make] of cases) {
    it(`when the token is ${name}, then every agency route answers 401`, async () => {
      const token = await make();
      for (const [method, url] of [
        ['GET', '/v1/requests'],
        ['GET', `/v1/requests/${randomUUID()}`],
        ['GET', `/v1/requests/${randomUUID()}/items/${randomUUID()}/credential`],
        ['POST', '/v1/requests'],
      ] as const) {
        const res = await call(method, url, { token, ...(method === 'POST' ? { body: {} } : {}) });
        expect(res.status, `${method} ${url}`).toBe(401);
        expect(res.body.code).toBe('invalid_token');
      }
    });
  }
});

describe('key rotation through the admin API', () => {
  it('when a new key is added and the old one retired, then only the new key gets tokens', async () => {
    const client = await registerClient(stttt.agencyId);
    const next = await newKeyPair();
    const added = await admin('POST', `/admin/clients/${client.clientId}/keys`, { jwk: next.publicJwk });
    expect(added.status).toBe(201);
    expect(added.body.kids).toHaveLength(2);

    // Both keys work during the switch-over.
    expect((await postToken(await signAssertion(client))).status).toBe(200);
    expect((await postToken(await signAssertion({ ...client, privateJwk: next.privateJwk }))).status).toBe(
      200,
    );

    const retired = await admin(
      'DELETE',
      `/admin/clients/${client.clientId}/keys/${String(client.privateJwk.kid)}`,
    );
    expect(retired.status).toBe(200);
    await expectInvalidClient(await signAssertion(client), 'signature');
    expect((await postToken(await signAssertion({ ...client, privateJwk: next.privateJwk }))).status).toBe(
      200,
    );

    const listed = await admin('GET', `/admin/clients/${client.clientId}`);
    expect((listed.body.keys as { kid: string }[]).map((k) => k.kid)).toEqual([next.publicJwk.kid]);
  });

  it('when the last key would be retired, or a private key is sent, then the admin API refuses', async () => {
    const client = await registerClient(stttt.agencyId);
    const last = await admin(
      'DELETE',
      `/admin/clients/${client.clientId}/keys/${String(client.privateJwk.kid)}`,
    );
    expect(last.status).toBe(409);
    const priv = await admin('POST', `/admin/clients/${client.clientId}/keys`, { jwk: client.privateJwk });
    expect(priv.status).toBe(400);
    const noAdmin = await fetch(`${baseUrl}/admin/clients/${client.clientId}`);
    expect(noAdmin.status).toBe(401);
  });

  it('when a token is issued, then it works on the API right away', async () => {
    const res = await call('GET', '/v1/requests', { token: await accessToken(stttt) });
    expect(res.status).toBe(200);
  });
});

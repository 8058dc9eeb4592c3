// Issue 19, on the real stack: no secret from the repository is ever accepted. var/secrets.env holds
// the installation's generated secrets (0600); the committed admin token is refused by every admin
// API; tokens signed with strings from the repository are refused; every service started without
// its secrets, or with a value found in the repository, exits naming the variable; the token key
// rotates with both keys valid during the overlap; the data key rotates (a command re-encrypts)
// with every national ID and credential readable throughout.
import { spawn } from 'node:child_process';
import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { loadAndInstallProvincePolicies } from '@hopthu/naming';
import { loadConfig, parseKeyRing, secretVariables } from '@hopthu/shared/config';
import { createDb, migrateToLatest } from '@hopthu/shared/db';
import { localSecret, readSecretsFile, secretsFile } from '@hopthu/shared/local-env';
import { createLogger } from '@hopthu/shared/logger';
import { clientAssertion, repoRoot, serviceUrl, testAdminToken } from '@hopthu/shared/testing';
import type { TObject } from '@sinclair/typebox';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../services/requests/src/app.ts';
import { ConfigSchema as RequestsConfigSchema } from '../services/requests/src/config.ts';
import type { Database } from '../services/requests/src/db/schema.ts';
import { loadApprovalPolicies } from '../services/requests/src/domain/approval/approval-policy-file.ts';
import { tokenRequest } from '../services/requests/test/in-process.ts';

// Strings of the repository: the defaults once committed, and values written in this very file
// (tracked, so `git grep` finds them: the services refuse them although no list names them).
const OLD_TOKEN_SECRET = 'hopthu-dev-token-secret-change-me-0123456789';
const OLD_DATA_KEY = '6b1f0c2e8d4a5b7c9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f';
const REPO_PASSWORD = 'Written-In-The-Repository-2026';
const REPO_SEED = 'aGVsbG8tZnJvbS10aGUtcmVwb3NpdG9yeS0wMTIzNDU';
const SERVICES = ['requests', 'directory', 'provisioner', 'notifier', 'console'] as const;

const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const edKey = (seed: string) =>
  createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8, Buffer.from(seed, 'base64url')]),
    format: 'der',
    type: 'pkcs8',
  });
const newSeed = () => randomBytes(32).toString('base64url');
const newHex = () => randomBytes(32).toString('hex');

describe('the installation secrets file', () => {
  it('when ./hopthu has run, then var/secrets.env exists, mode 0600, lines NAME=value with ADMIN_TOKEN', () => {
    const file = secretsFile();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secrets = readSecretsFile(file);
    expect(secrets.ADMIN_TOKEN?.length).toBeGreaterThanOrEqual(32);
    for (const name of ['HOPTHU_DB_PASSWORD', 'DATA_KEYS', 'TOKEN_SIGNING_KEYS', 'DOVEADM_API_KEY'])
      expect(secrets[name], name).toBeTruthy();
  });
});

describe('the committed admin token', () => {
  const routes: Record<(typeof SERVICES)[number], string> = {
    requests: '/admin/approvals',
    directory: '/admin/routes', // its listings are province-sized: the route list proves the token as well
    provisioner: '/admin/dead-letters',
    notifier: '/admin/warnings',
    console: '/admin/audit/verify',
  };
  for (const service of SERVICES) {
    it(`when ${service}'s admin API gets hopthu-dev-admin-token, then 401; the generated token is accepted`, async () => {
      for (const route of new Set([routes[service], '/admin/routes'])) {
        const url = `${serviceUrl(service)}${route}`;
        const refused = await fetch(url, { headers: { authorization: 'Bearer hopthu-dev-admin-token' } });
        expect(refused.status, `${service} ${route}`).toBe(401);
        const accepted = await fetch(url, { headers: { authorization: `Bearer ${testAdminToken}` } });
        expect(accepted.status, `${service} ${route}`).toBe(200);
      }
    });
  }
});

describe('access tokens signed with strings from the repository', () => {
  it('when the agency API gets one (HS256 with a committed value, EdDSA from a committed seed under the real kid), then 401', async () => {
    const realKid = parseKeyRing(localSecret('TOKEN_SIGNING_KEYS'))[0]!.kid;
    const agency = `demo-${randomUUID()}`;
    const claims = (j: SignJWT) =>
      j
        .setSubject('demo-snv')
        .setIssuer(`${serviceUrl('requests')}/oauth/token`)
        .setAudience('hopthu-requests')
        .setIssuedAt()
        .setExpirationTime('5m');
    const tokens: string[] = [];
    for (const secret of [OLD_TOKEN_SECRET, 'hopthu-dev-admin-token', OLD_DATA_KEY, REPO_PASSWORD])
      tokens.push(
        await claims(new SignJWT({ agency }).setProtectedHeader({ alg: 'HS256' })).sign(
          new TextEncoder().encode(secret),
        ),
      );
    tokens.push(
      await claims(
        new SignJWT({ agency }).setProtectedHeader({ alg: 'EdDSA', kid: realKid, typ: 'at+jwt' }),
      ).sign(edKey(REPO_SEED)),
    );
    for (const token of tokens) {
      const res = await fetch(`${serviceUrl('requests')}/v1/requests`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_token');
    }
  });
});

interface Started {
  code: number | null;
  stderr: string;
}

/** Runs `node services/<service>/src/main.ts` with exactly `env`; resolves with its exit code and stderr. */
function startWith(service: string, env: Record<string, string>): Promise<Started> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, `services/${service}/src/main.ts`)], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    // a service that accepted its secrets would be running: stop it and fail below
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

async function schemaOf(service: string): Promise<TObject> {
  const mod = (await import(path.join(repoRoot, `services/${service}/src/config.ts`))) as Record<
    string,
    unknown
  >;
  return Object.values(mod).find((v) => (v as TObject)?.type === 'object') as TObject;
}

/** What the service is given by ./hopthu: its secrets and connection URLs (var/secrets.env). */
function goodEnv(service: string): Record<string, string> {
  const names = [
    'ADMIN_TOKEN',
    'VMAIL_DATABASE_URL',
    'DOVEADM_API_KEY',
    'TOKEN_SIGNING_KEYS',
    'DATA_KEYS',
    'NATIONAL_ID_HASH_KEY',
  ];
  return {
    ...Object.fromEntries(names.map((n) => [n, localSecret(n)])),
    DATABASE_URL: localSecret(`${service.toUpperCase()}_DATABASE_URL`),
    PORT: String(39_000 + Math.floor(Math.random() * 900)),
  };
}

/** For each kind of secret, a value that passes every other check but appears in the repository. */
function repositoryValue(name: string): string {
  if (name.endsWith('DATABASE_URL'))
    return `postgres://hopthu:${REPO_PASSWORD}@127.0.0.1:5432/hopthu_requests`;
  if (name === 'DATA_KEYS') return `${randomBytes(4).toString('hex')}:${newHex()},old:${OLD_DATA_KEY}`;
  if (name === 'TOKEN_SIGNING_KEYS') return `${randomBytes(4).toString('hex')}:${REPO_SEED}`;
  if (name === 'NATIONAL_ID_HASH_KEY') return OLD_DATA_KEY;
  return OLD_TOKEN_SECRET; // 44 characters: long enough for ADMIN_TOKEN and DOVEADM_API_KEY
}

describe('a service started without its secrets, or with one from the repository', () => {
  // all ten starts at once (each loads its whole service before refusing): the tests read them
  const starts = new Map<
    string,
    Promise<{ secrets: string[]; required: string[]; missing: Started; committed: Started }>
  >();
  beforeAll(() => {
    for (const service of SERVICES)
      starts.set(
        service,
        (async () => {
          const schema = await schemaOf(service);
          const secrets = secretVariables(schema);
          // a secret the service can run without (requests' ADMIN_TOKEN: operators then come with
          // the console's signed tokens only) is refused when it is a repository value, not when absent
          const required = secrets.filter((n) => (schema.required ?? []).includes(n));
          const port = () => String(39_000 + Math.floor(Math.random() * 900));
          const withRepositoryValues = Object.fromEntries(secrets.map((n) => [n, repositoryValue(n)]));
          const [missing, committed] = await Promise.all([
            startWith(service, { PORT: port() }),
            startWith(service, { ...goodEnv(service), ...withRepositoryValues }),
          ]);
          return { secrets, required, missing, committed };
        })(),
      );
  });
  for (const service of SERVICES) {
    it(`when ${service} starts so, then it exits non-zero naming each variable in Vietnamese and English`, async () => {
      const { secrets, required, missing, committed } = await starts.get(service)!;
      expect(secrets).toEqual(expect.arrayContaining(['ADMIN_TOKEN', 'DATABASE_URL']));
      for (const r of [missing, committed]) {
        expect(r.code, r.stderr).not.toBe(0);
        expect(r.code, r.stderr).not.toBeNull();
        expect(r.stderr).toContain(
          'dịch vụ không khởi động / invalid configuration, the service does not start',
        );
      }
      for (const name of required) {
        expect(missing.stderr).toContain(`${name}: thiếu bí mật này`);
        expect(missing.stderr).toContain(
          `${name}: thiếu bí mật này (./hopthu up sinh nó vào var/secrets.env) / this secret is missing`,
        );
      }
      for (const name of secrets) {
        expect(committed.stderr).toMatch(
          new RegExp(
            `(^|\\s)${name}: giá trị này có trong kho mã nguồn[^\\n]*/ this value appears in the repository`,
          ),
        );
      }
      // the refused values themselves are not echoed
      for (const value of [REPO_SEED, REPO_PASSWORD, OLD_TOKEN_SECRET])
        expect(committed.stderr).not.toContain(value);
    });
  }
});

describe('key rotation (the requests service on a database of its own)', () => {
  const dbName = `hopthu_requests_keys_${randomBytes(4).toString('hex')}`;
  const adminPool = new pg.Pool({ connectionString: localSecret('DATABASE_ADMIN_URL'), max: 1 });
  const dbUrl = localSecret('DATABASE_ADMIN_URL').replace(/\/postgres$/, `/${dbName}`);
  const publicUrl = 'http://requests.keys.test';
  const tokenUrl = `${publicUrl}/oauth/token`;
  const agencyId = `keys-agency-${randomUUID()}`;
  let db: Kysely<Database>;
  let client: { clientId: string; privateJwk: Record<string, unknown> };

  beforeAll(async () => {
    loadAndInstallProvincePolicies(undefined);
    await adminPool.query(`CREATE DATABASE ${dbName}`);
    db = createDb<Database>(dbUrl, { max: 4 });
    await migrateToLatest(db as never, path.join(repoRoot, 'services/requests/migrations'));
    await db
      .insertInto('agencies')
      .values({
        agency_id: agencyId,
        province: 'bacninh',
        domain: 'test.invalid',
        name: 'Cơ quan thử khóa',
        abbreviation: 'test',
        parent_id: null,
        ancestor_ids: [agencyId],
        official_mailbox: null,
        updated_at: new Date().toISOString(),
      } as never)
      .execute();
    // the agency's API client, registered through the admin API (keys play no part in that)
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `c-${randomUUID()}`;
    client = {
      clientId: `keys-${randomUUID()}`,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    };
    const registered = await requestsWith({
      TOKEN_SIGNING_KEYS: `r:${newSeed()}`,
      DATA_KEYS: `r:${newHex()}`,
    }).inject({
      method: 'POST',
      url: '/admin/clients',
      headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        clientId: client.clientId,
        agencyId,
        name: 'keys test',
        jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
      }),
    });
    expect(registered.statusCode, registered.body).toBe(201);
  });
  afterAll(async () => {
    await db?.destroy();
    await adminPool.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await adminPool.end();
  });

  /** The requests service's HTTP API as it runs with these keys (the rest as ./hopthu gives it). */
  function requestsWith(keys: { TOKEN_SIGNING_KEYS: string; DATA_KEYS: string }) {
    const config = loadConfig(RequestsConfigSchema, {
      ...process.env,
      DATABASE_URL: dbUrl,
      PUBLIC_URL: publicUrl,
      LOG_LEVEL: 'warn',
      ...keys,
    });
    return buildApp({
      config,
      db,
      logger: createLogger('requests-keys-test', { level: 'warn' }),
      readiness: async () => {},
      approvalPolicies: loadApprovalPolicies(undefined),
      verifyMailboxPassword: async () => false,
    });
  }
  type App = ReturnType<typeof requestsWith>;

  async function token(app: App): Promise<string> {
    const res = await tokenRequest(app, await clientAssertion({ ...client, tokenUrl }));
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { access_token: string }).access_token;
  }
  const api = (app: App, accessToken: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  it('when the token key rotates, then old tokens work until dropped, new ones carry the new kid, the JWK set has both', async () => {
    const dataKeys = `d1:${newHex()}`;
    const k1 = `k1-${randomBytes(3).toString('hex')}:${newSeed()}`;
    const k2 = `k2-${randomBytes(3).toString('hex')}:${newSeed()}`;
    const before = requestsWith({ TOKEN_SIGNING_KEYS: k1, DATA_KEYS: dataKeys });
    const oldToken = await token(before);

    // the overlap: k2 signs, k1 still verifies
    const during = requestsWith({ TOKEN_SIGNING_KEYS: `${k2},${k1}`, DATA_KEYS: dataKeys });
    expect((await api(during, oldToken, 'GET', '/v1/requests')).statusCode).toBe(200);
    const newToken = await token(during);
    expect(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString()).kid).toBe(
      k2.split(':')[0],
    );
    expect((await api(during, newToken, 'GET', '/v1/requests')).statusCode).toBe(200);
    const jwks = (await during.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual([k2.split(':')[0], k1.split(':')[0]]);
    // the previous service (k1 only) cannot verify what k2 signed: a rotation must restart every verifier
    expect((await api(before, newToken, 'GET', '/v1/requests')).statusCode).toBe(401);

    // after the overlap k1 is gone: its tokens are refused, k2's still work
    const after = requestsWith({ TOKEN_SIGNING_KEYS: k2, DATA_KEYS: dataKeys });
    expect((await api(after, oldToken, 'GET', '/v1/requests')).statusCode).toBe(401);
    expect((await api(after, newToken, 'GET', '/v1/requests')).statusCode).toBe(200);
    await Promise.all([before.close(), during.close(), after.close()]);
  });

  it('when the data key rotates, then the re-encryption command moves every ciphertext to the new key and every national ID reads the same throughout', async () => {
    const tokenKeys = `t:${newSeed()}`;
    const oldKey = `old-${randomBytes(3).toString('hex')}:${newHex()}`;
    const newKey = `new-${randomBytes(3).toString('hex')}:${newHex()}`;
    const [oldKid, newKid] = [oldKey.split(':')[0]!, newKey.split(':')[0]!];
    const before = requestsWith({ TOKEN_SIGNING_KEYS: tokenKeys, DATA_KEYS: oldKey });
    const accessToken = await token(before);
    // born in 1990 (century and year digits 090), distinct last digits
    const ids = [0, 1, 2].map(
      (i) => `027090${String(Math.floor(Math.random() * 1e5) * 10 + i).padStart(6, '0')}`,
    );
    const submitted = await api(before, accessToken, 'POST', '/v1/requests', {
      agencyId,
      requester: { fullName: 'Nguyễn Thị Thử', position: 'Văn thư', phone: '0222 000 000' },
      reference: { number: `${Math.floor(Math.random() * 90000) + 10000}/KEYS-VP`, date: '2026-11-20' },
      items: ids.map((nationalId, i) => ({
        operation: 'create',
        person: {
          familyName: 'Thử',
          middleName: 'Khóa',
          givenName: `An${String.fromCharCode(97 + i)}`,
          position: 'Chuyên viên',
          department: 'Phòng Thử nghiệm',
          nationalId,
          dateOfBirth: '1990-05-17',
        },
      })),
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const requestId = (submitted.json() as { id: string }).id;
    const read = async (app: App) =>
      (
        (await api(app, accessToken, 'GET', `/v1/requests/${requestId}`)).json() as {
          items: { id: string; status: string; person?: { nationalId?: string; dateOfBirth?: string } }[];
        }
      ).items;
    // operators approve what the policy holds back: each approval seals a one-time credential
    for (const operator of ['op.an', 'op.binh']) {
      for (const item of (await read(before)).filter((i) => i.status === 'pending_approval')) {
        const approved = await before.inject({
          method: 'POST',
          url: `/admin/requests/${requestId}/items/${item.id}/approve`,
          headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ operator }),
        });
        expect(approved.statusCode, approved.body).toBe(200);
      }
    }
    const shown = await read(before);
    expect(shown.map((i) => i.person?.nationalId)).toEqual(
      ids.map((id) => `${id.slice(0, 3)}*******${id.slice(-2)}`),
    );
    const kidsOf = async () => {
      const items = await db
        .selectFrom('request_items')
        .select(['national_id_enc', 'date_of_birth_enc'])
        .where('request_id', '=', requestId)
        .execute();
      const creds = await db
        .selectFrom('credentials')
        .innerJoin('request_items', 'request_items.id', 'credentials.item_id')
        .select('credentials.password_enc')
        .where('request_items.request_id', '=', requestId)
        .execute();
      return [
        ...items.flatMap((i) => [i.national_id_enc, i.date_of_birth_enc]),
        ...creds.map((c) => c.password_enc),
      ]
        .filter((v): v is string => v !== null)
        .map((v) => v.split('.')[0]);
    };
    const sealedBefore = await kidsOf();
    // national ID, date of birth and credential of each item
    expect(sealedBefore).toHaveLength(ids.length * 3);
    expect(new Set(sealedBefore)).toEqual(new Set([oldKid]));

    // step 1: the service runs on both keys (new first): old ciphertexts still read
    const during = requestsWith({ TOKEN_SIGNING_KEYS: tokenKeys, DATA_KEYS: `${newKey},${oldKey}` });
    expect(await read(during)).toEqual(shown);

    // step 2: the command, as ./hopthu rotate-data-key runs it
    const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [path.join(repoRoot, 'services/requests/src/tools/reencrypt-data.ts')],
        {
          cwd: repoRoot,
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: dbUrl,
            DATA_KEYS: `${newKey},${oldKey}`,
            NATIONAL_ID_HASH_KEY: localSecret('NATIONAL_ID_HASH_KEY'),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    expect(run.code, `${run.out}${run.err}`).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ key: newKid, items: ids.length, unreadable: [] });
    expect(new Set(await kidsOf())).toEqual(new Set([newKid]));
    expect(await read(during)).toEqual(shown);

    // step 3: the old key dropped; everything still reads, the one-time credentials open
    const after = requestsWith({ TOKEN_SIGNING_KEYS: tokenKeys, DATA_KEYS: newKey });
    expect(await read(after)).toEqual(shown);
    // the mailbox made (as the provisioning result records it), its one-time credential opens
    await db
      .updateTable('request_items')
      .set({ status: 'completed', result_address: `thu.khoa.${randomBytes(3).toString('hex')}@test.invalid` })
      .where('id', '=', shown[0]!.id)
      .execute();
    const credential = await api(
      after,
      accessToken,
      'GET',
      `/v1/requests/${requestId}/items/${shown[0]!.id}/credential`,
    );
    expect(credential.statusCode, credential.body).toBe(200);
    expect((credential.json() as { password: string }).password.length).toBeGreaterThanOrEqual(8);
    await Promise.all([before.close(), during.close(), after.close()]);
  });
});

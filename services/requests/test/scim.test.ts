// SCIM 2.0 on the real stack (docs/scim.md), called as an identity provider calls it (plain fetch
// following RFC 7644's examples: no SCIM client library is published on npm): a SCIM token an
// operator issued to a new API client of the demo Sở TTTT (Bắc Ninh's policy lets personal
// mailbox work through at once) creates a user, finds it, suspends it with Entra ID's "False",
// restores it with a boolean, and deletes it, and the mailbox on Dovecot follows each step (the
// one-time password logs in over IMAP, then is refused). Another agency's client is refused the
// user; the errors are SCIM errors in Vietnamese and English.
import { randomUUID } from 'node:crypto';
import { createAgencyClient, imapLoginWorks, waitFor } from '@hopthu/shared/testing';
import SCIMMY from 'scimmy';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  apiUrl,
  baseUrl,
  db,
  demo,
  registerClient,
  tokenUrl,
  useRequests,
} from './security-helpers.ts';

useRequests();

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const MAILBOX = 'urn:hopthu:scim:schemas:extension:mailbox:1.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

type Resource = Record<string, unknown> & {
  id: string;
  active: boolean;
  emails: { value: string }[];
  meta: { version: string; location: string };
};
interface ScimAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** One SCIM call with a bearer token, as RFC 7644 §3 shows them (application/scim+json both ways). */
async function scim(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}/scim/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/scim+json',
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} } as ScimAnswer;
}

/** An API client of the agency with a SCIM token an operator issued (and its OAuth client). */
async function scimClient(agencyId: string) {
  const client = await registerClient(agencyId);
  const issued = await admin('POST', `/admin/clients/${client.clientId}/scim-tokens`, { label: 'Keycloak' });
  expect(issued.status).toBe(201);
  return {
    ...client,
    tokenId: String(issued.body.id),
    token: String(issued.body.token),
    api: createAgencyClient({ ...client, tokenUrl, apiUrl }),
  };
}

const uniqueGiven = () =>
  `Scim${randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 6)}`;

function buildUser(overrides: Record<string, unknown> = {}) {
  return {
    schemas: [USER, ENTERPRISE],
    userName: `scim.${randomUUID()}`,
    externalId: `hr-${randomUUID()}`,
    name: { familyName: 'Thử', middleName: 'Văn', givenName: uniqueGiven() },
    title: 'Chuyên viên',
    active: true,
    emails: [{ value: 'ignored@example.com', type: 'work', primary: true }],
    [ENTERPRISE]: { department: 'Phòng CNTT' },
    ...overrides,
  };
}

const replace = (path: string, value: unknown) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'Replace', path, value }],
});

/** As a provider does on 409 "previous change not finished": tries again until the call is taken. */
async function retriedUntilDone(call: () => Promise<ScimAnswer>): Promise<ScimAnswer> {
  return waitFor(
    async () => {
      const answer = await call();
      if (answer.status === 409) return false;
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      return answer;
    },
    { what: 'the previous change to end', timeoutMs: 120_000, intervalMs: 500 },
  );
}

function expectScimError(answer: ScimAnswer, status: number, scimType?: string) {
  expect(answer.headers.get('content-type')).toContain('application/scim+json');
  expect(answer.body).toMatchObject({ schemas: [ERROR], status: String(status) });
  if (scimType) expect(answer.body.scimType).toBe(scimType);
  // free text in Vietnamese, then English
  expect(String(answer.body.detail)).toContain(' / ');
}

let stttt: Awaited<ReturnType<typeof scimClient>>;
let snv: Awaited<ReturnType<typeof scimClient>>;

beforeAll(async () => {
  stttt = await scimClient(demo('stttt').agencyId);
  snv = await scimClient(demo('snv').agencyId);
});

describe('SCIM discovery', () => {
  it('when a provider reads ServiceProviderConfig, ResourceTypes and Schemas, then they say what is supported', async () => {
    const config = await scim(stttt.token, 'GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toContain('application/scim+json');
    expect(config.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      etag: { supported: true },
      bulk: { supported: false },
    });
    const types = await scim(stttt.token, 'GET', '/ResourceTypes');
    expect((types.body.Resources as { id: string }[]).map((r) => r.id)).toEqual(['User', 'Group']);
    const schemas = await scim(stttt.token, 'GET', '/Schemas');
    expect((schemas.body.Resources as { id: string }[]).map((r) => r.id)).toEqual(
      expect.arrayContaining([USER, ENTERPRISE, MAILBOX]),
    );
    expect((await scim(stttt.token, 'GET', `/Schemas/${USER}`)).body.id).toBe(USER);
  });
});

describe('SCIM authentication', () => {
  it('when there is no token, a wrong one or a revoked one, then the answer is a SCIM 401; the OAuth access token works too', async () => {
    expectScimError(await scim('', 'GET', '/Users'), 401);
    expectScimError(await scim('hopthu_scim_not-a-token', 'GET', '/Users'), 401);
    const revoked = await scimClient(demo('stttt').agencyId);
    expect((await scim(revoked.token, 'GET', '/Users')).status).toBe(200);
    const gone = await admin('DELETE', `/admin/clients/${revoked.clientId}/scim-tokens/${revoked.tokenId}`);
    expect(gone.status).toBe(200);
    expect(JSON.stringify(gone.body)).not.toContain(revoked.token);
    expectScimError(await scim(revoked.token, 'GET', '/Users'), 401);
    expect((await scim(await revoked.api.accessToken(), 'GET', '/Users')).status).toBe(200);
  });
});

describe('a SCIM user and its mailbox', () => {
  it('when a provider creates, finds, suspends ("False"), restores (true) and deletes a user, then the mailbox on the mail server follows each step', async () => {
    const body = buildUser();
    const created = await scim(stttt.token, 'POST', '/Users', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = String(created.body.id);
    expect(created.headers.get('location')).toBe(`${baseUrl}/scim/v2/Users/${id}`);
    expect(created.headers.get('etag')).toBe((created.body.meta as { version: string }).version);
    expect(created.body).toMatchObject({
      userName: body.userName,
      externalId: body.externalId,
      title: 'Chuyên viên',
    });
    // the address was not taken from the provider: the province's naming rule assigns it
    expect(JSON.stringify(created.body)).not.toContain('ignored@example.com');

    // the create went through the agency's own request path, filed by the client
    const requestId = String((created.body[MAILBOX] as { requestId: string }).requestId);
    const request = await stttt.api.waitFinished(requestId, 120_000);
    expect(request.status).toBe('completed');
    const item = request.items[0]!;
    expect(item).toMatchObject({ operation: 'create', status: 'completed' });
    expect((item.history as unknown[])[0]).toMatchObject({ actor: `client:${stttt.clientId}` });

    const active = await waitFor(
      async () => {
        const u = await scim(stttt.token, 'GET', `/Users/${id}`);
        return (u.body as Resource).active ? (u.body as Resource) : false;
      },
      { what: 'the SCIM user active with its mailbox', timeoutMs: 120_000 },
    );
    const address = active.emails[0]!.value;
    expect(address).toBe(item.address);
    const credential = await stttt.api.openCredential(String(item.credentialUrl));
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    expect(await imapLoginWorks(address, credential.password)).toBe(true);

    // found by userName in another case (caseExact false) and by externalId
    const byName = await scim(
      stttt.token,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${body.userName.toUpperCase()}"`)}`,
    );
    expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    const byExternal = await scim(
      stttt.token,
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "${body.externalId}"`)}`,
    );
    expect((byExternal.body.Resources as { id: string }[]).map((r) => r.id)).toEqual([id]);

    // Entra ID's string "False" suspends
    const suspended = await scim(stttt.token, 'PATCH', `/Users/${id}`, replace('active', 'False'), {
      'if-match': active.meta.version,
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    await waitFor(async () => !(await scim(stttt.token, 'GET', `/Users/${id}`)).body.active, {
      what: 'the user inactive',
      timeoutMs: 120_000,
    });
    await waitFor(async () => !(await imapLoginWorks(address, credential.password)), {
      what: 'the IMAP login refused while suspended',
      timeoutMs: 120_000,
    });

    // a boolean true restores
    await retriedUntilDone(() =>
      scim(stttt.token, 'PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: true } }],
      }),
    );
    await waitFor(async () => (await scim(stttt.token, 'GET', `/Users/${id}`)).body.active === true, {
      what: 'the user active again',
      timeoutMs: 120_000,
    });
    await waitFor(() => imapLoginWorks(address, credential.password), {
      what: 'the IMAP login accepted after the restore',
      timeoutMs: 120_000,
    });

    // the other agency does not see it, cannot change it, cannot delete it
    expectScimError(await scim(snv.token, 'GET', `/Users/${id}`), 404);
    expectScimError(await scim(snv.token, 'PATCH', `/Users/${id}`, replace('active', false)), 404);
    expectScimError(await scim(snv.token, 'DELETE', `/Users/${id}`), 404);
    const snvList = await scim(
      snv.token,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`,
    );
    expect(snvList.body.totalResults).toBe(0);

    expect((await retriedUntilDone(() => scim(stttt.token, 'DELETE', `/Users/${id}`))).status).toBe(204);
    expectScimError(await scim(stttt.token, 'GET', `/Users/${id}`), 404);
    await waitFor(async () => !(await imapLoginWorks(address, credential.password)), {
      what: 'the IMAP login refused after the delete',
      timeoutMs: 120_000,
    });
    // each step was one request of the agency, filed by its client, in order
    const steps = await db().query(
      `SELECT i.operation, i.status FROM request_items i JOIN requests r ON r.id = i.request_id
        WHERE r.reference->>'number' = $1 AND r.client_id = $2 ORDER BY r.received_at`,
      [`SCIM/${id}`, stttt.clientId],
    );
    expect(steps.rows.map((r) => r.operation)).toEqual(['create', 'suspend', 'restore', 'delete']);
    // a stack under load (a full test run) takes its time over five round trips to the mail server
  }, 420_000);
});

describe('SCIM users: rules and refusals', () => {
  it('when userName is taken, a name changes, If-Match is stale or the input is wrong, then SCIM errors say so and nothing changes', async () => {
    const body = buildUser();
    const created = await scim(stttt.token, 'POST', '/Users', body);
    expect(created.status).toBe(201);
    const id = String(created.body.id);

    expectScimError(
      await scim(stttt.token, 'POST', '/Users', buildUser({ userName: body.userName.toUpperCase() })),
      409,
      'uniqueness',
    );

    const renamed = await scim(stttt.token, 'PUT', `/Users/${id}`, {
      ...body,
      name: { ...body.name, givenName: `${body.name.givenName}x` },
    });
    expectScimError(renamed, 400, 'mutability');

    expectScimError(
      await scim(stttt.token, 'PATCH', `/Users/${id}`, replace('externalId', 'x'), {
        'if-match': 'W/"stale"',
      }),
      412,
    );

    const invalid = await scim(stttt.token, 'POST', '/Users', {
      schemas: [USER],
      userName: `scim.${randomUUID()}`,
      name: { givenName: 'An' },
      active: 'perhaps',
    });
    expectScimError(invalid, 400, 'invalidValue');
    expect(String(invalid.body.detail)).toContain('name.familyName: Bắt buộc');
    expect(String(invalid.body.detail)).toContain('name.familyName: required');

    expectScimError(await scim(stttt.token, 'GET', '/Users?filter=userName%20eq'), 400, 'invalidFilter');
    expectScimError(
      await scim(
        stttt.token,
        'POST',
        '/Users',
        buildUser({ [ENTERPRISE]: { organization: demo('snv').agencyId } }),
      ),
      400,
      'invalidValue',
    );

    // none of the refusals filed a request: the user's create is its only one
    const filed = await db().query(
      "SELECT count(*)::int AS n FROM requests WHERE reference->>'number' = $1",
      [`SCIM/${id}`],
    );
    expect(filed.rows[0].n).toBe(1);
    expect((await scim(stttt.token, 'GET', `/Users/${id}`)).body).toMatchObject({
      userName: body.userName,
      externalId: body.externalId,
    });

    // the version follows what the provider reads, the mailbox's address included: let the
    // create end first, so only this test's own changes move it
    await stttt.api.waitFinished(String((created.body[MAILBOX] as { requestId: string }).requestId), 120_000);
    await waitFor(
      async () => ((await scim(stttt.token, 'GET', `/Users/${id}`)).body as Resource).emails?.length > 0,
      { what: 'the SCIM user with its mailbox address', timeoutMs: 120_000 },
    );
    // userName and externalId alone change without a request, with the version
    const current = await scim(stttt.token, 'GET', `/Users/${id}`);
    const patched = await scim(stttt.token, 'PATCH', `/Users/${id}`, replace('externalId', 'hr-new'), {
      'if-match': String(current.headers.get('etag')),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.externalId).toBe('hr-new');
    expect(patched.headers.get('etag')).not.toBe(current.headers.get('etag'));
    // a provider that has the current version reads 304; plain application/json is taken too
    const unchanged = await scim(stttt.token, 'GET', `/Users/${id}`, undefined, {
      'if-none-match': String(patched.headers.get('etag')),
    });
    expect(unchanged.status).toBe(304);
    const asJson = await fetch(`${baseUrl}/scim/v2/Users/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stttt.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(replace('userName', `${body.userName}.json`)),
    });
    expect(asJson.status).toBe(200);
    expect(((await asJson.json()) as { userName: string }).userName).toBe(`${body.userName}.json`);
  });

  it("when a parent's provider names a sub-unit as organization, then the person is the sub-unit's: its own client sees the user and its group lists it; groups cannot be changed", async () => {
    const unit = demo('ttcntttt');
    const created = await scim(
      stttt.token,
      'POST',
      '/Users',
      buildUser({ [ENTERPRISE]: { organization: 'TTCNTTTT' } }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body[MAILBOX]).toMatchObject({ agencyId: unit.agencyId });
    const own = await scimClient(unit.agencyId);
    expect((await scim(own.token, 'GET', `/Users/${created.body.id}`)).status).toBe(200);

    const groups = await scim(stttt.token, 'GET', '/Groups');
    const ids = (groups.body.Resources as { id: string }[]).map((g) => g.id);
    expect(ids).toEqual(expect.arrayContaining([demo('stttt').agencyId, unit.agencyId]));
    expect(ids).not.toContain(demo('snv').agencyId);
    const group = await scim(stttt.token, 'GET', `/Groups/${unit.agencyId}`);
    expect((group.body.members as { value: string }[]).map((m) => m.value)).toContain(created.body.id);
    const filtered = await scim(
      stttt.token,
      'GET',
      `/Groups?filter=${encodeURIComponent(`displayName eq "${group.body.displayName}"`)}&excludedAttributes=members`,
    );
    expect(filtered.body).toMatchObject({ totalResults: 1, Resources: [{ id: unit.agencyId }] });
    expect((filtered.body.Resources as Record<string, unknown>[])[0]!.members).toBeUndefined();
    expectScimError(await scim(snv.token, 'GET', `/Groups/${unit.agencyId}`), 404);
    expectScimError(
      await scim(stttt.token, 'POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'x',
      }),
      403,
    );
  });
});

describe('SCIM resources against RFC 7643', () => {
  it('when the users and groups a provider can read are checked with SCIMMY (an independent SCIM implementation), then each one conforms to its schema', async () => {
    SCIMMY.Resources.declare(SCIMMY.Resources.User).extend(SCIMMY.Schemas.EnterpriseUser, false);
    SCIMMY.Resources.declare(SCIMMY.Resources.Group);
    const users = await scim(stttt.token, 'GET', '/Users?count=100');
    expect(users.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] });
    const groups = await scim(stttt.token, 'GET', '/Groups?count=100');
    const userResources = users.body.Resources as Record<string, unknown>[];
    const groupResources = groups.body.Resources as Record<string, unknown>[];
    expect(userResources.length).toBeGreaterThan(0);
    expect(groupResources.length).toBeGreaterThan(0);
    // SCIMMY's schema classes throw a SCIMError naming the attribute when a resource breaks the
    // core schema (types, required attributes, mutability, multi-valued shape)
    for (const user of userResources) {
      const { [MAILBOX]: _own, ...standard } = user;
      const checked = new SCIMMY.Schemas.User(
        { ...standard, schemas: (user.schemas as string[]).filter((s) => s !== MAILBOX) },
        'out',
      );
      expect(checked.userName, JSON.stringify(user)).toBe(user.userName);
    }
    for (const group of groupResources) {
      const checked = new SCIMMY.Schemas.Group(group, 'out');
      expect(checked.displayName, JSON.stringify(group)).toBe(group.displayName);
    }
    // and the check can fail: a user whose active is the string "False" is not a resource
    expect(() => new SCIMMY.Schemas.User({ ...userResources[0], active: 'False' }, 'out')).toThrow(/active/);
  });
});

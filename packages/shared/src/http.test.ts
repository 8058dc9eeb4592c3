// The shared HTTP skeleton as a caller sees it: the text guard on every route (bodies, forms,
// query strings, path parameters, stored headers), database errors caused by input as 4xx naming
// the field, any other failure a 500 whose correlation id is also in the log line, and the admin
// route listing; operators named by the token the console signs, the static token switched off.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { actorOf, createHttpApp, operatorOf, requireAdminToken } from './http.ts';
import { createLogger } from './logger.ts';
import {
  operatorSigner,
  operatorTokenVerifier,
  signOperatorToken,
  trustOperatorTokens,
} from './operator-token.ts';

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('test', { level: 'info', destination }) };
}

/** What pg raises: a DatabaseError with SQLSTATE, severity and, for some, column or detail. */
function pgError(fields: Record<string, string>) {
  return Object.assign(new Error('db'), { severity: 'ERROR', ...fields });
}

function buildTestApp(thrown?: unknown) {
  const { lines, logger } = captureLogs();
  const app = createHttpApp({ logger });
  const token = `t-${Math.random()}`;
  const stored: unknown[] = [];
  app.post('/things', async (request) => {
    if (thrown) throw thrown;
    stored.push(request.body);
    return { ok: true };
  });
  app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.register(async (admin) => {
    admin.addHook('onRequest', requireAdminToken(token));
    admin.get('/admin/secret', async () => ({}));
  });
  return { app, lines, token, stored };
}

describe('text guard on every route', () => {
  it('when a JSON body holds NUL or a lone surrogate, then 400 problem+json names the fields and the route never runs', async () => {
    const { app, stored } = buildTestApp();
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"S\\u1edf\\u0000","requester":{"fullName":"L\\ud800"}}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.code).toBe('validation_failed');
    expect(problem.message.vi).toBeTruthy();
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['/name', '/requester/fullName']);
    expect(stored).toEqual([]);
  });

  it('when a form body, a query string, a path parameter or the Idempotency-Key holds NUL, then each is named', async () => {
    const { app } = buildTestApp();
    const form = await app.inject({
      method: 'POST',
      url: '/things?q=%00',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'k\u0001' },
      payload: 'displayName=a%0Ab&_csrf=x',
    });
    expect(form.statusCode).toBe(400);
    expect(form.json().errors.map((e: { field: string }) => e.field)).toEqual([
      '/displayName',
      'querystring:/q',
      'header:/idempotency-key',
    ]);
    const param = await app.inject({ method: 'GET', url: '/things/a%00b' });
    expect(param.statusCode).toBe(400);
    expect(param.json().errors[0].field).toBe('params:/id');
  });

  it('when a form value percent-encodes a lone surrogate or the form is not UTF-8, then 400 invalid_utf8, not U+FFFD stored', async () => {
    const { app, stored } = buildTestApp();
    const surrogate = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'reason=ok&fullName=L%C3%AA%ED%A0%80',
    });
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().code).toBe('invalid_utf8');
    expect(surrogate.json().errors[0].field).toBe('/fullName');
    const latin1 = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: Buffer.from([0x61, 0x3d, 0xe0, 0x28]),
    });
    expect(latin1.statusCode).toBe(400);
    const ok = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'fullName=Tr%E1%BA%A7n+Anh&fullName=L%C3%AA',
    });
    expect(ok.statusCode).toBe(200);
    expect(stored).toEqual([{ fullName: 'Lê' }]);
  });

  it('when a path parameter percent-encodes a lone surrogate, then 400 problem+json naming the url', async () => {
    const { app } = buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/things/a%ED%A0%80' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0].field).toBe('url');
  });

  it('when text is ordinary Vietnamese (names decomposed too), then the route runs with names in NFC', async () => {
    const { app, stored } = buildTestApp();
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { fullName: 'Nguyễn Thị Bình'.normalize('NFD'), reason: 'Nghỉ hưu\r\nTừ 1/12' },
    });
    expect(res.statusCode).toBe(200);
    expect(stored).toEqual([{ fullName: 'Nguyễn Thị Bình'.normalize('NFC'), reason: 'Nghỉ hưu\r\nTừ 1/12' }]);
  });
});

describe('database errors', () => {
  it('when a unique constraint is broken, then 409 conflict names the key column in camelCase', async () => {
    const { app } = buildTestApp(
      pgError({ code: '23505', detail: 'Key (agency_id, local_part)=(x, y) already exists.' }),
    );
    const res = await app.inject({ method: 'POST', url: '/things', payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('conflict');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['/agencyId', '/localPart']);
    expect(JSON.stringify(res.json())).not.toContain('(x, y)');
  });

  it('when data is refused (invalid byte sequence, out of range, too long, not null), then 400', async () => {
    for (const [code, field] of [
      ['22021', ''],
      ['22003', ''],
      ['22001', ''],
      ['22P02', ''],
      ['23502', '/givenName'],
      ['54000', ''],
    ] as const) {
      const { app } = buildTestApp(pgError({ code, ...(field ? { column: 'given_name' } : {}) }));
      const res = await app.inject({ method: 'POST', url: '/things', payload: {} });
      expect(res.statusCode, code).toBe(400);
      expect(res.json().errors[0].field, code).toBe(field);
    }
  });

  it('when anything else fails, then a 500 whose correlation id is the log line’s, details hidden', async () => {
    const { app, lines } = buildTestApp(
      pgError({ code: '42P01', message: 'relation "secret_table" does not exist' }),
    );
    const res = await app.inject({ method: 'POST', url: '/things', payload: {} });
    expect(res.statusCode).toBe(500);
    const problem = res.json();
    expect(problem.code).toBe('internal');
    expect(problem.correlationId).toMatch(/.+/);
    expect(JSON.stringify(problem)).not.toContain('secret_table');
    const logged = lines.find((l) => l.msg === 'unhandled error');
    expect(logged?.correlationId).toBe(problem.correlationId);
    expect(logged?.reqId).toBe(problem.correlationId);
  });
});

describe('GET /admin/routes', () => {
  it('when asked with the admin token, then every route is listed; without it, 401', async () => {
    const { app, token } = buildTestApp();
    expect((await app.inject({ method: 'GET', url: '/admin/routes' })).statusCode).toBe(401);
    const res = await app.inject({
      method: 'GET',
      url: '/admin/routes',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const listed = res.json().routes.map((r: { method: string; url: string }) => `${r.method} ${r.url}`);
    expect(listed).toEqual(
      expect.arrayContaining(['POST /things', 'GET /things/:id', 'GET /admin/secret', 'GET /healthz']),
    );
    expect(listed).not.toContain('HEAD /things/:id');
  });
});

describe('operators named by their token (issue 14)', () => {
  // an app whose admin routes take no static token (ADMIN_TOKEN unset), and a key it trusts
  async function buildOperatorApp() {
    const signer = operatorSigner(`t:${randomBytes(32).toString('base64url')}`);
    trustOperatorTokens(operatorTokenVerifier(createLocalJWKSet(signer.jwks)));
    const app = createHttpApp({ logger: createLogger('test', { level: 'silent' }) });
    app.register(async (admin) => {
      admin.addHook('onRequest', requireAdminToken(undefined));
      admin.post('/admin/decide', async (request) => ({
        operator: operatorOf(request, request.body as { operator?: string }),
      }));
      admin.post('/admin/change', async (request) => ({ actor: actorOf(request) }));
    });
    const bearer = async (name: string) =>
      `Bearer ${await signOperatorToken(signer, { name, role: 'approver' })}`;
    return { app, bearer };
  }
  const post = (
    app: ReturnType<typeof createHttpApp>,
    url: string,
    headers: Record<string, string>,
    payload = {},
  ) => app.inject({ method: 'POST', url, headers, payload });

  it('when the static token is off, then a bearer that is no operator token and an X-Operator alone are 401', async () => {
    const { app } = await buildOperatorApp();
    const routes: ['GET' | 'POST', string][] = [
      ['POST', '/admin/decide'],
      ['POST', '/admin/change'],
      ['GET', '/admin/routes'],
    ];
    for (const [method, url] of routes) {
      const staticToken = { authorization: 'Bearer some-static-token-of-32-characters' };
      expect((await app.inject({ method, url, headers: staticToken })).statusCode).toBe(401);
      expect((await app.inject({ method, url, headers: { 'x-operator': 'op.an' } })).statusCode).toBe(401);
    }
  });

  it('when an operator token names one operator, then decisions and changes are recorded against it, and another name in the body or header is 403', async () => {
    const { app, bearer } = await buildOperatorApp();
    const asAn = { authorization: await bearer('op.an') };
    expect((await post(app, '/admin/decide', asAn)).json()).toEqual({ operator: 'op.an' });
    expect((await post(app, '/admin/change', asAn)).json()).toEqual({ actor: 'op.an' });
    expect((await post(app, '/admin/decide', asAn, { operator: 'op.an' })).json()).toEqual({
      operator: 'op.an',
    });
    for (const url of ['/admin/decide', '/admin/change']) {
      const forged = await post(app, url, { ...asAn, 'x-operator': 'op.binh' });
      expect(forged.statusCode).toBe(403);
      expect(forged.json()).toMatchObject({ code: 'forbidden', errors: [{ field: '/operator' }] });
    }
    expect((await post(app, '/admin/decide', asAn, { operator: 'op.binh' })).statusCode).toBe(403);
    const routes = await app.inject({ method: 'GET', url: '/admin/routes', headers: asAn });
    expect(routes.statusCode).toBe(200);
  });
});

// The console's pages in process: buildApp(deps) on a scratch database of its own, called with
// Fastify's inject (no port, no running console). An operator made through the console's admin API
// logs in through the login form, reads a page under their name, and a form posted without the
// session's CSRF token is refused and audited. No page here calls another service.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { newId, systemClock } from '@hopthu/shared/clock';
import { localSecret } from '@hopthu/shared/local-env';
import { createLogger } from '@hopthu/shared/logger';
import { operatorSigner } from '@hopthu/shared/operator-token';
import { createScratchDatabase, type ScratchDatabase, serviceUrl } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApiClient } from '../src/adapters/admin-api-client.ts';
import { buildApp } from '../src/app.ts';
import type { ConsoleDb } from '../src/db/schema.ts';
import type { ConsoleDeps } from '../src/domain/deps.ts';
import { LOGIN_COOKIE, SESSION_COOKIE } from '../src/http/session-auth.ts';

const adminToken = `component-${randomUUID()}`;
const logger = createLogger('console-component-test', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });
const signer = operatorSigner(localSecret('OPERATOR_SIGNING_KEY'));
const upstream = (name: string) =>
  createAdminApiClient({ name, baseUrl: serviceUrl(name), signer, timeoutMs: 5000 });

/** The value of `name` among a reply's Set-Cookie headers. */
function cookieOf(setCookie: string | string[] | undefined, name: string): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.map((c) => c.split(';')[0] ?? '').find((pair) => pair.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(all)}`);
  return found.slice(name.length + 1);
}
const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

describe('console pages (in process)', () => {
  let scratch: ScratchDatabase<ConsoleDb>;
  let app: ReturnType<typeof buildApp>;
  const operator = {
    username: `kt.${randomUUID().slice(0, 8)}`,
    password: `Kt-${randomUUID()}`,
    role: 'auditor',
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase<ConsoleDb>({
      service: 'console',
      migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
    });
    const deps: ConsoleDeps = {
      db: scratch.db,
      clock: systemClock,
      newId,
      logger,
      session: { idleMs: 30 * 60_000, maxMs: 8 * 3_600_000 },
      login: { maxFailuresPerUser: 5, maxFailuresPerIp: 50, windowMs: 15 * 60_000 },
      upstreams: {
        requests: upstream('requests'),
        directory: upstream('directory'),
        provisioner: upstream('provisioner'),
        notifier: upstream('notifier'),
      },
    };
    app = buildApp({ ...deps, adminToken, operatorKeys: signer.jwks, secureCookies: false });
    await app.ready();
    const made = await app.inject({
      method: 'POST',
      url: '/admin/operators',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { ...operator, displayName: 'Cán bộ Kiểm thử Trong tiến trình' },
    });
    expect(made.statusCode, made.body).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  /** Logs in through the form as a browser does; returns the session cookie. */
  async function logIn(password = operator.password) {
    const loginPage = await app.inject({ method: 'GET', url: '/login' });
    expect(loginPage.statusCode).toBe(200);
    const loginCookie = cookieOf(loginPage.headers['set-cookie'], LOGIN_COOKIE);
    return app.inject({
      method: 'POST',
      url: '/login',
      cookies: { [LOGIN_COOKIE]: loginCookie },
      ...form({ _csrf: csrfIn(loginPage.body), username: operator.username, password, next: '/account' }),
    });
  }

  it('when a page is asked for without a session, then the browser is sent to the login form', async () => {
    const res = await app.inject({ method: 'GET', url: '/account' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('when the password is wrong, then the login form answers 401 and no session cookie is set', async () => {
    const res = await logIn('Sai-mat-khau-123');
    expect(res.statusCode).toBe(401);
    expect(JSON.stringify(res.headers['set-cookie'] ?? '')).not.toContain(SESSION_COOKIE);
  });

  it('when the operator logs in, then the account page shows them by name and role, in Vietnamese', async () => {
    const login = await logIn();
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/account');
    const session = cookieOf(login.headers['set-cookie'], SESSION_COOKIE);

    const page = await app.inject({ method: 'GET', url: '/account', cookies: { [SESSION_COOKIE]: session } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="vi"');
    expect(page.body).toContain(operator.username);
    expect(page.body).toContain('Cán bộ Kiểm thử Trong tiến trình');
    expect(csrfIn(page.body)).not.toBe('');
  });

  it('when a form is posted without the session CSRF token, then it is refused with 403, nothing changes and the refusal is audited', async () => {
    const login = await logIn();
    const session = cookieOf(login.headers['set-cookie'], SESSION_COOKIE);

    const res = await app.inject({
      method: 'POST',
      url: '/account/password',
      cookies: { [SESSION_COOKIE]: session },
      ...form({
        _csrf: 'not-the-token',
        currentPassword: operator.password,
        newPassword: 'Mat-khau-moi-2026!',
        confirmPassword: 'Mat-khau-moi-2026!',
      }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');

    // the old password still logs in: the change was not made
    expect((await logIn()).statusCode).toBe(303);
    const refused = await scratch.db
      .selectFrom('audit_log')
      .select(['username', 'outcome', 'target'])
      .where('action', '=', 'csrf_check')
      .execute();
    expect(refused).toEqual([
      { username: operator.username, outcome: 'refused', target: '/account/password' },
    ]);
  });
});

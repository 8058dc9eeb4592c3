// The directory's admin API with the static token switched off (ADMIN_TOKEN unset, issue 14), in
// process: buildApp on a scratch database of its own, called with Fastify's inject. The static
// token and an X-Operator header are refused; the console's operator token is accepted, and the
// operator recorded for a change is the token's, never a name in the body or a header.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newId, systemClock } from '@hopthu/shared/clock';
import { createLogger } from '@hopthu/shared/logger';
import {
  adminGuardAnswers,
  createScratchDatabase,
  type ScratchDatabase,
  serviceDatabaseUrl,
  type TestOperators,
  testAdminToken,
  trustTestOperators,
} from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { DirectoryDatabase } from '../src/db/schema.ts';
import { seedProvinceDomains } from '../src/domain/domains/seed-province-domains.ts';

const migrationsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const logger = createLogger('directory-test', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });

describe('directory admin API without ADMIN_TOKEN', () => {
  let scratch: ScratchDatabase<DirectoryDatabase>;
  let app: ReturnType<typeof buildApp>;
  let operators: TestOperators;

  beforeAll(async () => {
    scratch = await createScratchDatabase<DirectoryDatabase>({ service: 'directory', migrationsPath });
    const deps = {
      db: scratch.db,
      logger,
      clock: systemClock,
      newId,
      retiredHoldDays: 365,
      renameAliasDays: 30,
    };
    await seedProvinceDomains(deps);
    operators = trustTestOperators();
    app = buildApp({ ...deps, adminToken: undefined });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  it('when ADMIN_TOKEN is unset, then the configuration is accepted and the token is absent', () => {
    const env = { ...process.env, DATABASE_URL: serviceDatabaseUrl('directory'), ADMIN_TOKEN: undefined };
    expect(readConfig(env).ADMIN_TOKEN).toBeUndefined();
  });

  it('when called with the static token or an X-Operator header, then 401; with an operator token, then it answers', async () => {
    const answers = await adminGuardAnswers(app, operators, {
      method: 'GET',
      url: '/admin/provinces/bac-ninh/domains',
    });
    expect(answers).toEqual({ staticToken: 401, operatorHeader: 401, operatorToken: 200 });
  });

  it('when an operator token adds an alias domain, then the token names who added it; a forged body or header is 403 and adds nothing', async () => {
    const domain = `optoken-${newId().slice(0, 8)}.gov.vn`;
    const add = async (headers: Record<string, string>, body: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/admin/provinces/bac-ninh/alias-domains',
        headers,
        payload: { domain, reason: 'sáp nhập tỉnh', ...body },
      });
    const asAn = await operators.bearer('op.an');
    const forgedHeader = await add({ authorization: asAn, 'x-operator': 'op.binh' });
    expect(forgedHeader.statusCode).toBe(403);
    expect(forgedHeader.json()).toMatchObject({ code: 'forbidden', errors: [{ field: '/operator' }] });
    expect((await add({ authorization: asAn }, { operator: 'op.binh' })).statusCode).toBe(403);
    expect((await add({ 'x-operator': 'op.binh' }, { operator: 'op.binh' })).statusCode).toBe(401);
    const none = await scratch.db.selectFrom('province_domains').where('domain', '=', domain).execute();
    expect(none).toEqual([]);

    expect((await add({ authorization: asAn })).statusCode).toBe(201);
    const row = await scratch.db
      .selectFrom('province_domains')
      .select('added_by')
      .where('domain', '=', domain)
      .executeTakeFirstOrThrow();
    expect(row.added_by).toBe('op.an');
    const history = await scratch.db
      .selectFrom('province_domain_history')
      .select('actor')
      .where('domain', '=', domain)
      .execute();
    expect(history).toEqual([{ actor: 'op.an' }]);
  });

  it('when one operator approves a reorganisation twice, under any name, then it counts once; a second operator approves it', async () => {
    const asAn = await operators.bearer('op.an');
    const abbreviation = `kt${newId()
      .replace(/[^a-z]/g, '')
      .slice(0, 8)}`;
    const registered = await app.inject({
      method: 'POST',
      url: '/admin/agencies',
      headers: { authorization: asAn },
      payload: {
        province: 'bac-ninh',
        name: `Sở Kiểm thử ${abbreviation}`,
        abbreviation,
        unitType: 'agency',
      },
    });
    expect(registered.statusCode).toBe(201);
    const posted = await app.inject({
      method: 'POST',
      url: '/admin/reorganisations',
      headers: { authorization: asAn, 'content-type': 'application/json' },
      payload: {
        title: 'Đổi tên sở kiểm thử',
        basis: 'Quyết định kiểm thử',
        effectiveFrom: new Date().toISOString().slice(0, 10),
        operations: [
          { op: 'rename_unit', unit: `bac-ninh/${abbreviation}`, name: `Sở Đổi tên ${abbreviation}` },
        ],
      },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const id = posted.json().id as string;
    const approve = async (authorization: string, body: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: `/admin/reorganisations/${id}/approvals`,
        headers: { authorization },
        payload: { reason: 'đúng quyết định', ...body },
      });
    const state = async () =>
      scratch.db
        .selectFrom('reorganisations')
        .select(['state', 'created_by'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();

    expect((await approve(asAn)).statusCode).toBe(200);
    expect((await approve(asAn)).statusCode).toBe(409);
    expect((await approve(asAn, { operator: 'op.an2' })).statusCode).toBe(403);
    expect((await approve(`Bearer ${testAdminToken}`, { operator: 'op.an2' })).statusCode).toBe(401);
    expect(await state()).toEqual({ state: 'computed', created_by: 'op.an' });
    const second = await approve(await operators.bearer('op.binh'));
    expect(second.statusCode).toBe(200);
    expect(await state()).toMatchObject({ state: 'approved' });
    const approvals = await scratch.db
      .selectFrom('reorganisation_approvals')
      .select('operator')
      .where('reorganisation_id', '=', id)
      .orderBy('at')
      .execute();
    expect(approvals.map((a) => a.operator)).toEqual(['op.an', 'op.binh']);
  });
});

// The directory's item flow in process: buildApp(deps) on a scratch database of its own, a manual
// clock, Fastify's inject. An approved item is applied through the use case (applyApprovedItem, in
// a transaction of the test's own as the consumer's inbox gives it one) and read back through the
// admin API: the mailbox's state and its history, recorded at the clock's time, with the
// provisioning command and the state event in the outbox in that order; a delete a day later holds
// the address back for the province's retention.retiredAddressDays, a transfer keeps the old
// address as an alias for RENAME_ALIAS_DAYS and holds it back for the province's days after that.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { getPolicy } from '@hopthu/naming';
import { createManualClock, newId } from '@hopthu/shared/clock';
import { buildEvent, type ItemApproved, Topics } from '@hopthu/shared/events';
import { createLogger } from '@hopthu/shared/logger';
import { createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import type { DirectoryDatabase } from '../src/db/schema.ts';
import type { DirectoryDeps } from '../src/domain/deps.ts';
import { seedReservedAddresses } from '../src/domain/directory/seed-reserved-addresses.ts';
import { seedProvinceDomains } from '../src/domain/domains/seed-province-domains.ts';
import { applyApprovedItem } from '../src/domain/items/apply-approved-item.ts';

const migrationsPath = path.join(import.meta.dirname, '..', 'migrations');
const logger = createLogger('directory-item-flow-test', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });
const adminToken = `component-${randomUUID()}`;
const DAY_MS = 86_400_000;

/** An approved item of a request of its own, as the requests service publishes it. */
function buildApprovedItem(overrides: Partial<ItemApproved> & Pick<ItemApproved, 'agencyId' | 'operation'>) {
  const item: ItemApproved = {
    requestId: newId(),
    itemId: newId(),
    province: 'bac-ninh',
    mailboxType: 'personal',
    approvedBy: 'operator:kiem.thu',
    reason: 'Kiểm thử trong tiến trình',
    ...overrides,
  };
  return buildEvent('vn.gov.hopthu.request.item.approved.v1', item, {
    source: 'urn:hopthu:requests',
    subject: item.requestId,
    correlationId: item.requestId,
  });
}

interface OutboxRow {
  topic: string;
  key: string;
  payload: { type: string; time: string; data: Record<string, unknown> };
}

describe('directory item flow (in process)', () => {
  let scratch: ScratchDatabase<DirectoryDatabase>;
  let deps: DirectoryDeps;
  let app: ReturnType<typeof buildApp>;
  const clock = createManualClock(new Date('2026-03-02T02:00:00.000Z'));
  const get = (url: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${adminToken}` } });
  const apply = (event: ReturnType<typeof buildApprovedItem>) =>
    scratch.db.transaction().execute((trx) => applyApprovedItem({ ...deps, db: trx }, { event }));
  const outboxFor = async (key: string) =>
    (
      await sql<OutboxRow>`SELECT topic, key, payload FROM outbox WHERE key = ${key} ORDER BY seq`.execute(
        scratch.db,
      )
    ).rows;
  /** A Bắc Ninh agency of the test's own (its agency mailbox with it); its id. */
  const registerAgency = async () => {
    const abbreviation = `kt${randomUUID().replaceAll('-', '').replace(/\d/g, '').slice(0, 6)}`;
    const registered = await app.inject({
      method: 'POST',
      url: '/admin/agencies',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: {
        province: 'bac-ninh',
        name: `Sở Kiểm thử ${abbreviation}`,
        abbreviation,
        unitType: 'agency',
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    return registered.json().agencyId as string;
  };
  let agencyId = '';
  let mailboxId = '';
  let address = '';

  beforeAll(async () => {
    scratch = await createScratchDatabase<DirectoryDatabase>({ service: 'directory', migrationsPath });
    deps = { db: scratch.db, logger, clock, newId, retiredHoldDays: 365, renameAliasDays: 90 };
    await seedReservedAddresses(scratch.db);
    await seedProvinceDomains(deps);
    app = buildApp({ ...deps, adminToken });
    await app.ready();
    agencyId = await registerAgency();
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  it('when an approved personal create is applied, then the admin API shows the new mailbox and its history at the clock’s time, and the outbox holds its create command then its state', async () => {
    const event = buildApprovedItem({
      agencyId,
      operation: 'create',
      person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Kiểm', position: 'Chuyên viên' },
    });

    const outcome = await apply(event);

    expect(outcome.outcome).toBe('created');
    if (outcome.outcome !== 'created') return;
    mailboxId = outcome.mailbox.id;
    address = outcome.mailbox.address;
    expect(address).toMatch(/^tvkiem\.kt[a-z]+@bacninh\.gov\.vn$/);
    const state = await get(`/admin/mailboxes/${mailboxId}`);
    expect(state.statusCode, state.body).toBe(200);
    expect(state.json()).toMatchObject({
      mailboxId,
      address,
      type: 'personal',
      state: 'provisioning',
      agencyId,
      generation: 1,
      position: 'Chuyên viên',
      quotaBytes: getPolicy('bac-ninh').personalQuotaBytes,
    });
    const history = await get(`/admin/mailboxes/${mailboxId}/history`);
    expect(history.json().items).toEqual([
      {
        at: clock.now().toISOString(),
        change: 'created',
        reason: 'Kiểm thử trong tiến trình',
        requestId: event.data.requestId,
        itemId: event.data.itemId,
        actor: 'operator:kiem.thu',
        details: { address, type: 'personal', quotaBytes: getPolicy('bac-ninh').personalQuotaBytes },
      },
    ]);
    const outbox = await outboxFor(mailboxId);
    expect(outbox.map((r) => [r.topic, r.payload.type])).toEqual([
      [Topics.provisioningCommands, 'vn.gov.hopthu.provisioning.command.v1'],
      [Topics.directory, 'vn.gov.hopthu.directory.mailbox.v1'],
    ]);
    expect(outbox[0]?.payload.data).toMatchObject({
      action: 'create',
      mailboxId,
      generation: 1,
      address,
      requestId: event.data.requestId,
      itemId: event.data.itemId,
    });
    expect(outbox[1]?.payload.time).toBe(clock.now().toISOString());
  });

  it('when the mailbox is deleted by an approved item a day later, then its state is deleted and its address is held back for the province’s retention.retiredAddressDays', async () => {
    expect(mailboxId).not.toBe('');
    clock.advance(DAY_MS);
    const deletedAt = clock.now();
    const event = buildApprovedItem({ agencyId, operation: 'delete', address, reason: 'Nghỉ hưu' });

    const outcome = await apply(event);

    expect(outcome.outcome).toBe('commanded');
    const state = await get(`/admin/mailboxes/${mailboxId}`);
    expect(state.json()).toMatchObject({ state: 'deleted', generation: 2 });
    const history = (await get(`/admin/mailboxes/${mailboxId}/history`)).json().items;
    expect(history.map((h: { change: string }) => h.change)).toEqual(['created', 'deleted']);
    expect(history[1]).toMatchObject({
      at: deletedAt.toISOString(),
      reason: 'Nghỉ hưu',
      itemId: event.data.itemId,
      details: { from: 'provisioning', to: 'deleted', generation: 2 },
    });
    const held = (await get('/admin/retired-addresses?domain=bacninh.gov.vn')).json().items;
    const holdDays = getPolicy('bac-ninh').retention.retiredAddressDays;
    expect(held).toContainEqual({
      address,
      retiredAt: deletedAt.toISOString(),
      holdUntil: new Date(deletedAt.getTime() + holdDays * DAY_MS).toISOString(),
    });
    const commands = (await outboxFor(mailboxId)).filter((r) => r.topic === Topics.provisioningCommands);
    expect(commands.map((r) => [r.payload.data.action, r.payload.data.generation])).toEqual([
      ['create', 1],
      ['delete', 2],
    ]);
  });

  it('when a Bắc Ninh civil servant moves to another agency, then the old address stays an alias for RENAME_ALIAS_DAYS and is held back for the province’s days after that', async () => {
    const other = await registerAgency();
    const created = await apply(
      buildApprovedItem({
        agencyId,
        operation: 'create',
        person: { familyName: 'Lê', middleName: 'Thị', givenName: 'Chuyển' },
      }),
    );
    expect(created.outcome).toBe('created');
    if (created.outcome !== 'created') return;
    clock.advance(DAY_MS);
    const movedAt = clock.now();
    const event = buildApprovedItem({
      agencyId,
      operation: 'update',
      address: created.mailbox.address,
      changes: { agencyId: other },
    });

    const outcome = await apply(event);

    expect(outcome.outcome).toBe('commanded');
    const aliasUntil = new Date(movedAt.getTime() + deps.renameAliasDays * DAY_MS);
    const state = (await get(`/admin/mailboxes/${created.mailbox.id}`)).json();
    expect(state).toMatchObject({ agencyId: other, generation: 2, aliases: [created.mailbox.address] });
    expect(state.address).not.toBe(created.mailbox.address);
    const history = (await get(`/admin/mailboxes/${created.mailbox.id}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({
      at: movedAt.toISOString(),
      change: 'address_changed',
      itemId: event.data.itemId,
      details: {
        why: 'transfer',
        from: created.mailbox.address,
        to: state.address,
        aliasUntil: aliasUntil.toISOString(),
      },
    });
    const held = (await get('/admin/retired-addresses?domain=bacninh.gov.vn')).json().items;
    const holdDays = getPolicy('bac-ninh').retention.retiredAddressDays;
    expect(held).toContainEqual({
      address: created.mailbox.address,
      retiredAt: movedAt.toISOString(),
      holdUntil: new Date(aliasUntil.getTime() + holdDays * DAY_MS).toISOString(),
    });
    const commands = (await outboxFor(created.mailbox.id)).filter(
      (r) => r.topic === Topics.provisioningCommands,
    );
    expect(commands.at(-1)?.payload.data).toMatchObject({
      action: 'rename',
      address: created.mailbox.address,
      newAddress: state.address,
      aliasExpiresAt: aliasUntil.toISOString(),
      generation: 2,
    });
  });

  it('when an approved item names an agency the directory does not know, then it is answered failed with why and no mailbox changes', async () => {
    const event = buildApprovedItem({ agencyId: newId(), operation: 'suspend', address });

    const outcome = await apply(event);

    expect(outcome.outcome).toBe('failed');
    const answer = await outboxFor(event.data.itemId);
    expect(answer).toHaveLength(1);
    expect(answer[0]?.topic).toBe(Topics.provisioningResults);
    expect(answer[0]?.payload.data).toMatchObject({ outcome: 'failed', itemId: event.data.itemId });
    expect(String(answer[0]?.payload.data.error)).toContain('is not in the directory');
    expect((await get(`/admin/mailboxes/${mailboxId}`)).json()).toMatchObject({ generation: 2 });
  });
});

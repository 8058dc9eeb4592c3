// The requests consumer's batch handling (handleMany: runs of plain personal creates set-wise,
// apply-approved-items.ts) against its per-event handling (handle, through the consumer harness),
// in process: the same events on two scratch databases with the same agencies, then everything
// each item came to compared — addresses, history rows, provisioning commands, mailbox states,
// item results, pending decisions — and the order per mailbox (its command before its state).
// The burst holds namesakes within one batch and across batches, a person who already holds a
// mailbox (by key and by name and job), the same person twice in one batch, and a Thanh Hóa
// namesake inside a run, which the province leaves to an operator (pending_decisions).
import path from 'node:path';
import { newId } from '@hopthu/shared/clock';
import { type AnyEnvelope, buildEvent, type EventPerson, Topics } from '@hopthu/shared/events';
import { createLogger } from '@hopthu/shared/logger';
import { createConsumerHarness, createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestsHandlers } from '../src/consumers/requests-consumer.ts';
import type { DirectoryDatabase } from '../src/db/schema.ts';
import type { DirectoryDeps } from '../src/domain/deps.ts';
import { registerAgency } from '../src/domain/agencies/register-agency.ts';
import { seedReservedAddresses } from '../src/domain/directory/seed-reserved-addresses.ts';
import { seedProvinceDomains } from '../src/domain/domains/seed-province-domains.ts';
import type { ApprovedEvent } from '../src/domain/items/apply-approved-items.ts';
import { applyApprovedItems } from '../src/domain/items/ranked-batches.ts';
import { counterIds, deliverBatch, requestEvents } from './deliver-batch.ts';

const migrationsPath = path.join(import.meta.dirname, '..', 'migrations');
const logger = createLogger('directory-apply-items-test', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });

interface Side {
  scratch: ScratchDatabase<DirectoryDatabase>;
  deps: DirectoryDeps;
  agencies: Record<'bn' | 'th' | 'kg', string>;
}

async function side(): Promise<Side> {
  const scratch = await createScratchDatabase<DirectoryDatabase>({ service: 'directory', migrationsPath });
  const setup: DirectoryDeps = {
    db: scratch.db,
    logger,
    clock: { now: () => new Date() },
    newId: counterIds(7),
    retiredHoldDays: 365,
    renameAliasDays: 90,
  };
  await seedReservedAddresses(scratch.db);
  await seedProvinceDomains(setup);
  const register = async (province: string, abbreviation: string) =>
    (
      await registerAgency(setup, {
        province,
        name: `Sở Kiểm thử ${abbreviation}`,
        abbreviation,
        unitType: 'agency',
        actor: 'operator:kiem.thu',
      })
    ).agencyId;
  const agencies = {
    bn: await register('bac-ninh', 'sktlo'),
    th: await register('thanh-hoa', 'sktth'),
    kg: await register('kien-giang', 'sktkg'),
  };
  return { scratch, deps: { ...setup, newId }, agencies };
}

const person = (name: string, extra: Partial<EventPerson> = {}): EventPerson => {
  const [familyName = '', middleName = '', givenName = ''] = name.split(' ');
  return { familyName, middleName, givenName, position: 'Chuyên viên', department: 'Văn phòng', ...extra };
};

/** Everything the directory wrote for the items, keyed so that two databases can be compared. */
async function outcome(db: ScratchDatabase<DirectoryDatabase>['db']) {
  const history = (
    await sql<Record<string, unknown>>`
      SELECT h.item_id, h.change, h.details, h.actor, h.reason, h.request_id, m.address
      FROM mailbox_history h JOIN mailboxes m ON m.id = h.mailbox_id
      WHERE h.item_id IS NOT NULL ORDER BY h.item_id, h.id`.execute(db)
  ).rows;
  const outbox = (
    await sql<{ topic: string; key: string; payload: AnyEnvelope }>`
      SELECT topic, key, payload FROM outbox ORDER BY seq`.execute(db)
  ).rows;
  const mailboxKeys = new Map<string, string>(); // mailbox id → address, to compare across databases
  const commands = new Map<string, unknown>();
  const states = new Map<string, unknown>();
  const results = new Map<string, unknown>();
  const orderPerMailbox = new Map<string, string[]>();
  for (const { topic, key, payload } of outbox) {
    const data = payload.data as Record<string, unknown>;
    if (topic === Topics.provisioningCommands) {
      const { commandId: _c, mailboxId, ...rest } = data;
      mailboxKeys.set(String(mailboxId), String(data.address));
      // the agencies' own mailboxes, made at registration, get a random password each
      if (data.itemId) commands.set(String(data.itemId), { ...rest, correlation: payload.correlationid });
    } else if (topic === Topics.provisioningResults) {
      const { commandId: _c, mailboxId: _m, ...rest } = data;
      results.set(String(data.itemId), rest);
    } else if (payload.type === 'vn.gov.hopthu.directory.mailbox.v1') {
      const { mailboxId: _m, ...rest } = data;
      states.set(String(data.address), rest);
    } else continue;
    const address =
      mailboxKeys.get(key) ?? (payload.type === 'vn.gov.hopthu.directory.mailbox.v1' ? data.address : null);
    if (typeof address === 'string')
      orderPerMailbox.set(address, [...(orderPerMailbox.get(address) ?? []), payload.type]);
  }
  const decisions = (
    await sql<{ item_id: string; candidates: string[] }>`
      SELECT item_id, candidates FROM pending_decisions ORDER BY item_id`.execute(db)
  ).rows;
  const counts = (
    await sql<{ people: string; mailboxes: string }>`
      SELECT (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM mailboxes) AS mailboxes`.execute(
      db,
    )
  ).rows[0];
  return { history, commands, states, results, orderPerMailbox, decisions, counts };
}

describe('directory: approved creates set-wise (handleMany) against one by one (handle)', () => {
  let many: Side;
  let each: Side;
  const batches: AnyEnvelope[][] = [];
  const itemIds = new Map<string, string>(); // label → item id

  beforeAll(async () => {
    many = await side();
    each = await side();
    expect(many.agencies).toEqual(each.agencies);
    const { bn, th, kg } = many.agencies;
    const label = (events: AnyEnvelope[], labels: (string | null)[]) => {
      events.slice(1).forEach((e, i) => {
        const name = labels[i];
        if (name) itemIds.set(name, (e as ApprovedEvent).data.itemId);
      });
      return events;
    };
    const filler = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) =>
        person(`Đỗ Minh Khang${String.fromCharCode(97 + ((from + i) % 26))}${from + i}`, {
          personKey: `f-${from + i}`,
        }),
      );
    // batch 1: people who then hold mailboxes
    batches.push([
      ...label(
        requestEvents(bn, 'bac-ninh', [
          person('Lê Văn Bình', { personKey: 'key-held' }),
          person('Phan Thị Hà', { position: 'Kế toán' }),
          person('Nguyễn Văn Nam', { personKey: 'nam-0' }),
        ]),
        ['held-by-key', 'held-by-name', 'nam-0'],
      ),
      ...label(requestEvents(th, 'thanh-hoa', [person('Trần Thị Hoa', { personKey: 'hoa-0' })]), ['hoa-0']),
    ]);
    // batch 2: a run of 60 items with namesakes, the holders again, one person twice, a Thanh Hóa
    // namesake in the middle of the run, a rejected item and a Kiên Giang request among them
    const bnItems = [
      person('Nguyễn Văn Nam', { personKey: 'nam-1' }),
      person('Nguyễn Văn Nam', { personKey: 'nam-2' }),
      ...filler(10, 0),
      person('Lê Văn Bình', { personKey: 'key-held' }), // holds a mailbox: refused
      person('Phan Thị Hà', { position: 'Kế toán' }), // likely the same holder: refused
      person('Nguyễn Văn Nam', { personKey: 'nam-3' }),
      person('Võ Thanh Tùng', { personKey: 'twice' }),
      person('Võ Thanh Tùng', { personKey: 'twice' }), // the same person twice in one batch
      person('Đinh Văn Lực'),
      person('Đinh Văn Lực'), // no key, same name and job: the same holder
      person('Đinh Văn Lực', { position: 'Phó Trưởng phòng' }), // another person, a namesake
      ...filler(30, 10),
    ];
    const bnRequest = label(
      requestEvents(bn, 'bac-ninh', bnItems),
      bnItems.map((_, i) => `bn-${i}`),
    );
    const thRequest = label(
      requestEvents(th, 'thanh-hoa', [
        person('Trần Thị Hoa', { personKey: 'hoa-1' }),
        person('Trần Thị Lan'),
      ]),
      ['hoa-1', 'lan'],
    );
    // Kiên Giang serves namesakes by rank once the request's items are all seen: set-wise too
    const kgRequest = label(
      requestEvents(kg, 'kien-giang', [
        person('Lâm Văn Tư', { rank: 2, personKey: 'tu-2' }),
        person('Lâm Văn Tư', { rank: 1, personKey: 'tu-1' }),
        person('Lê Văn Bình', { personKey: 'key-held' }), // a person of another province's key
        person('Lâm Văn Tư', { rank: 3, position: 'Văn thư' }),
      ]),
      ['kg-rank2', 'kg-rank1', 'kg-binh', 'kg-rank3'],
    );
    const first = bnRequest[1] as ApprovedEvent;
    const rejected = buildEvent(
      'vn.gov.hopthu.request.item.rejected.v1',
      {
        requestId: first.data.requestId,
        agencyId: bn,
        itemId: 'rejected-1',
        reason: 'trùng',
        rejectedBy: 'operator:kiem.thu',
      },
      { source: 'urn:hopthu:requests', subject: first.data.requestId },
    );
    batches.push([
      ...bnRequest.slice(0, 20),
      ...thRequest,
      ...bnRequest.slice(20, 30),
      rejected,
      ...kgRequest,
      ...bnRequest.slice(30),
    ]);
    // batch 3: namesakes of the earlier batches
    batches.push(
      label(
        requestEvents(bn, 'bac-ninh', [
          person('Nguyễn Văn Nam', { personKey: 'nam-4' }),
          person('Trần Thị Hoa', { personKey: 'hoa-bn' }),
          person('Nguyễn Văn Nam', { position: 'Văn thư' }),
        ]),
        ['nam-4', 'hoa-bn', 'nam-5'],
      ),
    );
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(100);

    const manyHandlers = requestsHandlers(many.deps);
    for (const batch of batches) await deliverBatch(many.scratch.db, manyHandlers, batch, 'many', logger);
    const harness = createConsumerHarness({
      db: each.scratch.db,
      consumer: 'directory',
      handle: requestsHandlers(each.deps).handle,
      logger,
    });
    for (const batch of batches) for (const event of batch) await harness.deliver(Topics.requests, event);
  });
  afterAll(async () => {
    await many?.scratch.drop();
    await each?.scratch.drop();
  });

  it('gives every item the same address, history, command, state and result either way, each mailbox its command before its state', async () => {
    const a = await outcome(many.scratch.db);
    const b = await outcome(each.scratch.db);
    expect(a.history).toEqual(b.history);
    expect(a.commands).toEqual(b.commands);
    expect(a.states).toEqual(b.states);
    expect(a.results).toEqual(b.results);
    expect(a.decisions).toEqual(b.decisions);
    expect(a.counts).toEqual(b.counts);
    expect(a.orderPerMailbox).toEqual(b.orderPerMailbox);
    for (const order of a.orderPerMailbox.values()) {
      expect(order.indexOf('vn.gov.hopthu.provisioning.command.v1')).toBeLessThan(
        order.indexOf('vn.gov.hopthu.directory.mailbox.v1'),
      );
    }
  });

  it('numbers namesakes in order within a batch and across batches, and refuses those who hold a mailbox', async () => {
    const { history, results, decisions } = await outcome(many.scratch.db);
    const address = (labelName: string) =>
      history.find((h) => h.item_id === itemIds.get(labelName) && h.change === 'created')?.address;
    expect(address('nam-0')).toBe('nvnam.sktlo@bacninh.gov.vn');
    expect(address('bn-0')).toBe('nvnam1.sktlo@bacninh.gov.vn');
    expect(address('bn-1')).toBe('nvnam2.sktlo@bacninh.gov.vn');
    expect(address('bn-14')).toBe('nvnam3.sktlo@bacninh.gov.vn');
    expect(address('nam-4')).toBe('nvnam4.sktlo@bacninh.gov.vn');
    expect(address('nam-5')).toBe('nvnam5.sktlo@bacninh.gov.vn');
    expect(address('bn-15')).toBe('vttung.sktlo@bacninh.gov.vn');
    expect(address('bn-17')).toBe('dvluc.sktlo@bacninh.gov.vn');
    expect(address('bn-19')).toBe('dvluc1.sktlo@bacninh.gov.vn');
    for (const refused of ['bn-12', 'bn-13', 'bn-16', 'bn-18']) {
      expect(results.get(itemIds.get(refused) as string)).toMatchObject({ outcome: 'failed' });
      expect(address(refused)).toBeUndefined();
    }
    expect(String((results.get(itemIds.get('bn-12') as string) as { error: string }).error)).toContain(
      'lvbinh.sktlo@bacninh.gov.vn',
    );
    expect(address('kg-rank1')).toBe('lvtu.sktkg@kiengiang.gov.vn');
    expect(address('kg-rank2')).toBe('lvtu1.sktkg@kiengiang.gov.vn');
    expect(address('kg-rank3')).toBe('lvtu2.sktkg@kiengiang.gov.vn');
    expect(address('kg-binh')).toBe('lvbinh.sktkg@kiengiang.gov.vn');
    // Thanh Hóa leaves a namesake to an operator, in the middle of the run as alone
    expect(decisions.map((d) => d.item_id)).toEqual([itemIds.get('hoa-1')]);
    expect(address('lan')).toBe('lantt.sktth@thanhhoa.gov.vn');
  });

  it('applies the plain creates of a run set-wise and stops at the first item the per-event path must take', async () => {
    const { bn, th } = many.agencies;
    const events = [
      ...requestEvents(bn, 'bac-ninh', [
        person('Hồ Văn Một'),
        person('Hồ Văn Hai'),
        person('Hồ Văn Ba'),
      ]).slice(1),
      ...requestEvents(th, 'thanh-hoa', [person('Trần Thị Hoa', { personKey: 'hoa-2' })]).slice(1),
      ...requestEvents(bn, 'bac-ninh', [person('Hồ Văn Bốn')]).slice(1),
    ] as ApprovedEvent[];
    const applied = await many.scratch.db.transaction().execute((trx) =>
      applyApprovedItems(
        { ...many.deps, db: trx },
        events.map((event) => ({ event, logger })),
      ),
    );
    expect(applied).toBe(3);
  });
});

// The migration that releases the aliases of mailboxes deleted before a delete released them
// (migrations/2026-12-03T1900-release-aliases-of-deleted.ts), on a scratch database: a mailbox
// deleted the old way (its address held, its delete in the history, its alias rows still naming it)
// loses its live aliases as a delete now does — the operator alias held back until the address's
// own hold, from the delete; the live transition alias released without a hold of its own; both
// listed in the delete's history where a restore reads them — while an ended transition alias and
// a live mailbox's alias stay. A second run changes nothing.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { newId } from '@hopthu/shared/clock';
import { createLogger } from '@hopthu/shared/logger';
import { createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up } from '../migrations/2026-12-03T1900-release-aliases-of-deleted.ts';
import { insertRetiredAddresses, upsertAlias } from '../src/db/address-repository.ts';
import { insertHistories } from '../src/db/history-repository.ts';
import { insertMailboxIfFree } from '../src/db/mailbox-repository.ts';
import type { DirectoryDatabase } from '../src/db/schema.ts';
import { recordedAliases } from '../src/domain/aliases/aliases-of-deleted.ts';
import { registerAgency } from '../src/domain/agencies/register-agency.ts';
import type { DirectoryDeps } from '../src/domain/deps.ts';
import { seedReservedAddresses } from '../src/domain/directory/seed-reserved-addresses.ts';
import { seedProvinceDomains } from '../src/domain/domains/seed-province-domains.ts';

const DAY = 86_400_000;
const DOMAIN = 'bacninh.gov.vn';

describe('migration: aliases of mailboxes deleted before a delete released them', () => {
  let scratch: ScratchDatabase<DirectoryDatabase>;
  const deletedAt = new Date(Date.now() - 10 * DAY);
  const holdUntil = new Date(deletedAt.getTime() + 365 * DAY);
  const tag = randomUUID().slice(0, 8);
  const deleted = { id: randomUUID(), address: `xoa${tag}@${DOMAIN}` };
  const live = { id: '' };
  const alias = `bidanh${tag}@${DOMAIN}`;
  const transition = `cu${tag}@${DOMAIN}`;
  const ended = `cuhet${tag}@${DOMAIN}`;
  const liveAlias = `bidanhcon${tag}@${DOMAIN}`;

  beforeAll(async () => {
    scratch = await createScratchDatabase<DirectoryDatabase>({
      service: 'directory',
      migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
    });
    const deps: DirectoryDeps = {
      db: scratch.db,
      logger: createLogger('release-aliases-migration', { level: 'warn' }),
      clock: { now: () => new Date() },
      newId,
      retiredHoldDays: 365,
      renameAliasDays: 90,
    };
    await seedReservedAddresses(scratch.db);
    await seedProvinceDomains(deps);
    // the agency's own mailbox is the live one; the deleted one was its mailbox before
    const registered = await registerAgency(deps, {
      province: 'bac-ninh',
      name: 'Sở Di trú',
      abbreviation: `sdt${tag.slice(0, 4)}`,
      unitType: 'agency',
      actor: 'operator:test',
    });
    expect(registered.officialMailboxId).toBeTruthy();
    live.id = registered.officialMailboxId as string;
    const inserted = await insertMailboxIfFree(
      scratch.db,
      {
        ...deleted,
        localPart: deleted.address.split('@')[0] as string,
        domain: DOMAIN,
        province: 'bac-ninh',
        type: 'agency',
        state: 'deleted',
        agencyId: registered.agencyId,
        personId: null,
        quotaBytes: 1 << 30,
        generation: 2,
      },
      deletedAt,
    );
    expect(inserted).toBe(true);
    // deleted the old way: its address held, the delete in its history, its aliases left on it
    await insertRetiredAddresses(scratch.db, [
      {
        address: deleted.address,
        localPart: deleted.address.split('@')[0] as string,
        domain: DOMAIN,
        mailboxId: deleted.id,
        retiredAt: deletedAt,
        holdUntil,
      },
    ]);
    await insertHistories(scratch.db, [
      {
        mailboxId: deleted.id,
        at: deletedAt,
        change: 'deleted',
        reason: 'nghỉ hưu',
        requestId: null,
        itemId: null,
        actor: 'operator:test',
        details: { from: 'active', to: 'deleted', generation: 2 },
      },
    ]);
    const aliasRow = (
      address: string,
      mailboxId: string,
      kind: 'alias' | 'transition',
      expiresAt: Date | null,
    ) =>
      upsertAlias(
        scratch.db,
        { address, localPart: address.split('@')[0] as string, domain: DOMAIN, mailboxId, kind, expiresAt },
        new Date(deletedAt.getTime() - DAY),
      );
    await aliasRow(alias, deleted.id, 'alias', null);
    await aliasRow(transition, deleted.id, 'transition', new Date(Date.now() + 30 * DAY));
    await aliasRow(ended, deleted.id, 'transition', new Date(Date.now() - DAY));
    await aliasRow(liveAlias, live.id, 'alias', null);
    await up(scratch.db as never);
    await up(scratch.db as never); // idempotent: nothing left to release
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('when the migration has run, then the deleted mailbox holds no live alias and the others stay', async () => {
    const rows = await scratch.db.selectFrom('aliases').select(['address', 'mailbox_id']).execute();
    const addresses = rows.map((r) => r.address);
    expect(addresses).not.toContain(alias);
    expect(addresses).not.toContain(transition);
    expect(addresses).toContain(ended);
    expect(addresses).toContain(liveAlias);
  });

  it('when the migration has run, then the operator alias is held from the delete until the address hold, once', async () => {
    const holds = await scratch.db
      .selectFrom('retired_addresses')
      .select(['address', 'mailbox_id', 'retired_at', 'hold_until'])
      .where('address', 'in', [alias, transition])
      .execute();
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ address: alias, mailbox_id: deleted.id });
    expect(new Date(holds[0]!.retired_at).getTime()).toBe(deletedAt.getTime());
    expect(new Date(holds[0]!.hold_until).getTime()).toBe(holdUntil.getTime());
  });

  it("when the migration has run, then the delete's history lists both released aliases once, as a restore reads them", async () => {
    const { rows } = await sql<{ change: string; details: Record<string, unknown> }>`
      SELECT change, details FROM mailbox_history WHERE mailbox_id = ${deleted.id} ORDER BY id`.execute(
      scratch.db,
    );
    expect(rows.map((r) => r.change)).toEqual(['deleted']);
    const listed = recordedAliases(rows[0]?.details);
    expect(listed.map((a) => [a.address, a.kind])).toEqual([
      [alias, 'alias'],
      [transition, 'transition'],
    ]);
    expect(listed[0]?.expiresAt).toBeNull();
    expect(Date.parse(listed[1]?.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(rows[0]?.details.aliasesReleasedBy).toBe('migration 2026-12-03T1900-release-aliases-of-deleted');
  });
});

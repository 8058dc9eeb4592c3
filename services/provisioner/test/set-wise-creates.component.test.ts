// The commands consumer in process on a scratch database, the real mail server behind the Dovecot
// adapter, fed batches through the real inbox loop (batchBus): runs of create commands applied
// set-wise (handleMany) answer exactly as one at a time (the same consumer with setWiseCreates
// off, on commands of the same shape): outcomes, attempts, the applied-command log and the vmail
// rows; a command that fails in a run dead-letters alone while the others are created; a batch
// delivered again, or its commands again under new event ids, changes nothing.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { newId, systemClock } from '@hopthu/shared/clock';
import type { AnyEnvelope, ProvisioningCommand } from '@hopthu/shared/events';
import { PermanentError } from '@hopthu/shared/inbox';
import { createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandsConsumer } from '../src/consumers/commands-consumer.ts';
import type { ProvisionerDb } from '../src/db/schema.ts';
import type { MailServerAdapter } from '../src/domain/mail-server-adapter.ts';
import {
  batchBus,
  buildCommand,
  canLogin,
  clockedAdapter,
  commandEvent,
  hashPassword,
  logger,
  newPassword,
  queryVmail,
  uniqueAddress,
} from './helpers.ts';

type Mode = 'set-wise' | 'per-event';

/** What one mode's consumer did with one scenario, by the scenario's own names of its mailboxes. */
interface Seen {
  results: Record<string, { outcome: string; generation: number; attempts: number; action: string }[]>;
  applied: Record<string, { outcome: string; generation: number; attempts: number }[]>;
  vmail: Record<
    string,
    { active: boolean; quota: number; generation: number; mustChange: boolean; hashed: boolean } | null
  >;
  deadLetters: string[];
}

describe('runs of create commands applied set-wise, through the inbox, on the real mail server', () => {
  let scratch: ScratchDatabase<ProvisionerDb>;
  let real: MailServerAdapter;
  /** An address whose create the mail server refuses (a fault injected in front of the adapter). */
  const refused = new Set<string>();
  const calls = { createMailboxes: [] as number[], createMailbox: 0 };
  const made: string[] = [];
  const consumers: Record<Mode, ReturnType<typeof batchBus>> = {
    'set-wise': batchBus(),
    'per-event': batchBus(),
  };
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase<ProvisionerDb>({
      service: 'provisioner',
      migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
    });
    real = (await clockedAdapter('provisioner-set-wise-')).adapter;
    const refuse = (address: string) => new PermanentError(`the mail server refuses ${address} (test fault)`);
    const adapter: MailServerAdapter = {
      ...real,
      createMailbox: async (input) => {
        calls.createMailbox++;
        if (refused.has(input.address)) throw refuse(input.address);
        return real.createMailbox(input);
      },
      createMailboxes: async (inputs) => {
        calls.createMailboxes.push(inputs.length);
        const bad = inputs.find((i) => refused.has(i.address));
        if (bad) throw refuse(bad.address);
        return (real.createMailboxes as NonNullable<MailServerAdapter['createMailboxes']>)(inputs);
      },
    };
    for (const mode of ['set-wise', 'per-event'] as const) {
      stops.push(
        await startCommandsConsumer({
          bus: consumers[mode].bus,
          db: scratch.db,
          adapter,
          logger,
          clock: systemClock,
          newId,
          consumer: `provisioner-${mode}`,
          maxAttempts: 2,
          retentionDays: 90,
          setWiseCreates: mode === 'set-wise',
        }),
      );
    }
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    if (made.length > 0) await queryVmail('DELETE FROM mailbox WHERE username = ANY($1)', [made]);
    await real?.close();
    await scratch?.drop();
  });

  /**
   * One scenario in four batches on fresh mailboxes m1…m12 of one mode: creates around a suspend;
   * then a redelivered event, a command again under a new event id, a stale create and two new
   * creates; then creates with an invalid command among them; then a create the mail server
   * refuses with another.
   */
  async function scenario(mode: Mode) {
    const names = Array.from({ length: 12 }, (_, i) => `m${i + 1}`);
    const address = Object.fromEntries(
      names.map((n) => [n, uniqueAddress(`${mode === 'set-wise' ? 's' : 'p'}${n}`)]),
    );
    made.push(...Object.values(address));
    const password = newPassword();
    const passwordHash = await hashPassword(password);
    const commands = Object.fromEntries(
      names.map((n, i) => [
        n,
        buildCommand({
          address: address[n] as string,
          passwordHash,
          quotaBytes: (i + 1) * 1024 * 1024,
          passwordChangeRequired: n === 'm3',
        }),
      ]),
    ) as Record<string, ProvisioningCommand>;
    const c = (n: string) => commands[n] as ProvisioningCommand;
    const byMailbox = new Map(names.map((n) => [c(n).mailboxId, n]));
    const deliver = (events: AnyEnvelope[]) => consumers[mode].deliver(events);

    const first = [c('m1'), c('m2'), c('m3')].map((x) => commandEvent(x));
    await deliver([
      ...first,
      commandEvent({ ...c('m1'), commandId: randomUUID(), action: 'suspend', generation: 2 }),
      commandEvent(c('m4')),
      commandEvent(c('m5')),
    ]);
    await deliver([
      first[1] as AnyEnvelope, // the same event again: the inbox skips it
      commandEvent(c('m3')), // the same command under a new event id: answered once already
      commandEvent({ ...c('m1'), commandId: randomUUID() }), // a create older than the suspend
      commandEvent(c('m6')),
      commandEvent(c('m7')),
    ]);
    refused.add(address.m11 as string);
    await deliver([
      commandEvent(c('m8')),
      commandEvent({ ...c('m9'), passwordHash: 'not a hash' }),
      commandEvent(c('m10')),
    ]);
    await deliver([commandEvent(c('m11')), commandEvent(c('m12'))]);
    return { seen: await read(byMailbox, address), address, password };
  }

  async function read(byMailbox: Map<string, string>, address: Record<string, string>): Promise<Seen> {
    const ids = [...byMailbox.keys()];
    const name = (mailboxId: string) => byMailbox.get(mailboxId) as string;
    const seen: Seen = { results: {}, applied: {}, vmail: {}, deadLetters: [] };
    const results = await sql<{
      key: string;
      payload: { data: { outcome: string; generation: number; attempts: number; action: string } };
    }>`SELECT key, payload FROM outbox WHERE topic = 'hopthu.provisioning.results.v1' AND key = ANY(${ids})
       ORDER BY seq`.execute(scratch.db);
    for (const r of results.rows) {
      const { outcome, generation, attempts, action } = r.payload.data;
      seen.results[name(r.key)] = [
        ...(seen.results[name(r.key)] ?? []),
        { outcome, generation, attempts, action },
      ];
    }
    const applied = await scratch.db
      .selectFrom('applied_commands')
      .select(['mailbox_id', 'outcome', 'generation', 'attempts'])
      .where('mailbox_id', 'in', ids)
      .orderBy('generation')
      .orderBy('outcome')
      .execute();
    for (const a of applied) {
      const entry = { outcome: a.outcome, generation: Number(a.generation), attempts: a.attempts };
      seen.applied[name(a.mailbox_id)] = [...(seen.applied[name(a.mailbox_id)] ?? []), entry];
    }
    const rows = await queryVmail<{
      username: string;
      active: boolean;
      quota_bytes: string;
      generation: string;
      password_change_required: boolean;
      password: string;
    }>(
      'SELECT username, active, quota_bytes, generation, password_change_required, password FROM mailbox WHERE username = ANY($1)',
      [Object.values(address)],
    );
    for (const [n, a] of Object.entries(address)) {
      const row = rows.find((r) => r.username === a);
      seen.vmail[n] = row
        ? {
            active: row.active,
            quota: Number(row.quota_bytes),
            generation: Number(row.generation),
            mustChange: row.password_change_required,
            hashed: row.password.startsWith('{BLF-CRYPT}'),
          }
        : null;
    }
    const dead = await scratch.db
      .selectFrom('dead_letters')
      .select('mailbox_id')
      .where('mailbox_id', 'in', ids)
      .execute();
    seen.deadLetters = dead.map((d) => name(d.mailbox_id as string)).sort();
    return seen;
  }

  it('when runs of creates come set-wise, then every answer equals one at a time, a failing command dead-letters alone, and a replay changes nothing', async () => {
    calls.createMailboxes = [];
    calls.createMailbox = 0;
    const setWise = await scenario('set-wise');
    const setWiseCalls = { ...calls, createMailboxes: [...calls.createMailboxes] };
    calls.createMailboxes = [];
    calls.createMailbox = 0;
    const perEvent = await scenario('per-event');

    // the same answers, whichever way the batch was applied
    expect(setWise.seen).toEqual(perEvent.seen);
    // set-wise really: the runs m1–m3, m4–m5, m6–m7 and m11–m12 each went to the mail server in one
    // call. The run m8–m10 holds an invalid command, so its batch went one at a time before any
    // write (m8, m10); m11–m12 was refused as a whole, then m11 alone (refused: the batch fails),
    // then the batch one at a time (m11 refused, m12 created)
    expect(setWiseCalls.createMailboxes).toEqual([3, 2, 2, 2]);
    expect(setWiseCalls.createMailbox).toBe(5);
    expect(calls.createMailboxes).toEqual([]);

    const { seen } = setWise;
    const applied = (generation = 1) => ({ outcome: 'applied', generation, attempts: 1, action: 'create' });
    for (const n of ['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm10', 'm12']) {
      expect(seen.results[n], n).toEqual([applied()]);
      expect(seen.vmail[n], n).toMatchObject({ active: true, generation: 1, hashed: true });
    }
    expect(seen.results.m1).toEqual([
      applied(),
      { outcome: 'applied', generation: 2, attempts: 1, action: 'suspend' },
      { outcome: 'skipped', generation: 1, attempts: 1, action: 'create' },
    ]);
    expect(seen.vmail.m1).toMatchObject({ active: false, generation: 2 });
    expect(seen.vmail.m3).toMatchObject({ mustChange: true, quota: 3 * 1024 * 1024 });
    expect(seen.vmail.m4).toMatchObject({ mustChange: false, quota: 4 * 1024 * 1024 });
    // the invalid command and the refused create: a dead letter and a failed answer each, nothing in vmail
    expect(seen.deadLetters).toEqual(['m11', 'm9']);
    expect(seen.results.m9).toEqual([{ outcome: 'failed', generation: 1, attempts: 1, action: 'create' }]);
    expect(seen.results.m11).toEqual([{ outcome: 'failed', generation: 1, attempts: 1, action: 'create' }]);
    expect(seen.vmail.m9).toBeNull();
    expect(seen.vmail.m11).toBeNull();
    // the first IMAP login works once the result is there
    expect(await canLogin(setWise.address.m2 as string, setWise.password)).toBe(true);
  });

  it('when a batch of creates is delivered again, and its commands again under new event ids, then nothing changes and nothing is answered twice', async () => {
    const addresses = Array.from({ length: 4 }, (_, i) => uniqueAddress(`replay${i}`));
    made.push(...addresses);
    const passwordHash = await hashPassword(newPassword());
    const commands = addresses.map((address) => buildCommand({ address, passwordHash, quotaBytes: 1024 }));
    const events = commands.map((c) => commandEvent(c));
    const bus = consumers['set-wise'];
    await bus.deliver(events);
    const vmailBefore = await queryVmail<{ username: string; modified_at: Date }>(
      'SELECT username, modified_at FROM mailbox WHERE username = ANY($1) ORDER BY username',
      [addresses],
    );
    const count = async () =>
      Number(
        (
          await sql<{ n: string }>`SELECT count(*) AS n FROM outbox
             WHERE key = ANY(${commands.map((c) => c.mailboxId)})`.execute(scratch.db)
        ).rows[0]?.n,
      );
    expect(await count()).toBe(4);

    await bus.deliver(events); // the same events: the inbox has them
    await bus.deliver(commands.map((c) => commandEvent(c))); // the same commands, new event ids

    expect(await count()).toBe(4);
    expect(
      await queryVmail(
        'SELECT username, modified_at FROM mailbox WHERE username = ANY($1) ORDER BY username',
        [addresses],
      ),
    ).toEqual(vmailBefore);
    const log = await scratch.db
      .selectFrom('applied_commands')
      .select(['command_id', 'outcome', 'event_id'])
      .where(
        'mailbox_id',
        'in',
        commands.map((c) => c.mailboxId),
      )
      .execute();
    expect(log.map((r) => [r.command_id, r.outcome, r.event_id]).sort()).toEqual(
      commands.map((c, i) => [c.commandId, 'applied', events[i]?.id]).sort(),
    );
  });
});

// Drift check on the real stack: the directory's published mailbox state (here published by the
// test on hopthu.directory.v1 for a domain of its own) against vmail, through the admin API.
import { randomBytes, randomUUID } from 'node:crypto';
import { buildEvent, type MailboxState, type ProvisioningCommand, Topics } from '@hopthu/shared/events';
import { createMessageBus } from '@hopthu/shared/kafka';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  type Bus,
  buildCommand,
  commandEvent,
  connectBus,
  ensureProvisioner,
  env,
  hashPassword,
  inboxSubjects,
  logger,
  newPassword,
  type ProvisionerProcess,
  queryVmail,
  sendTestMail,
} from './helpers.ts';

interface Report {
  domains: string[];
  counts: Record<string, number>;
  differences: { kind: string; address: string; reason?: string; repairable?: boolean }[];
}

const api = admin();
const domain = `d${randomBytes(4).toString('hex')}.drifttest.gov.vn`;
const at = (local: string) => `${local}@${domain}`;
let provisioner: ProvisionerProcess;
let bus: Bus;
let publishState: (state: MailboxState) => Promise<void>;
let closeDirectory: () => Promise<void>;

beforeAll(async () => {
  provisioner = await ensureProvisioner();
  bus = await connectBus();
  const directoryBus = createMessageBus({
    brokers: env.kafkaBrokers.split(','),
    clientId: 'drift-test',
    logger,
  });
  const producer = await directoryBus.createProducer();
  publishState = async (state) => {
    const event = buildEvent('vn.gov.hopthu.directory.mailbox.v1', state, {
      source: 'urn:hopthu:provisioner-test',
      subject: state.mailboxId,
    });
    await producer.send([
      {
        topic: Topics.directory,
        key: state.mailboxId,
        value: JSON.stringify(event),
        headers: { 'ce-type': event.type, 'ce-id': event.id },
      },
    ]);
  };
  closeDirectory = () => producer.disconnect();
});

afterAll(async () => {
  await closeDirectory?.();
  await bus?.close();
  await provisioner?.stop();
});

async function created(local: string): Promise<ProvisioningCommand> {
  const c = buildCommand({
    address: at(local),
    passwordHash: await hashPassword(newPassword()),
    quotaBytes: 1000,
  });
  await bus.publish(commandEvent(c));
  expect(await bus.waitForResult(c.mailboxId)).toMatchObject({ outcome: 'applied' });
  return c;
}

const state = (c: { mailboxId: string; address: string }, s: Partial<MailboxState>): MailboxState => ({
  mailboxId: c.mailboxId,
  address: c.address,
  domain,
  type: 'personal',
  state: 'active',
  agencyId: 'drift-test-agency',
  displayName: 'Drift Test',
  aliases: [],
  quotaBytes: 1000,
  generation: 1,
  ...s,
});

describe('drift check', () => {
  it('when vmail and the directory differ, then every difference is reported and a repair fixes all it may', async () => {
    const same = await created('same');
    const suspended = await created('suspended');
    const quota = await created('quota');
    const deleted = await created('deleted');
    const stranger = await created('stranger'); // never in the directory
    const missing = { mailboxId: randomUUID(), address: at('missing') };

    await publishState(state(same, {}));
    await publishState(state(suspended, { state: 'suspended', generation: 2 }));
    await publishState(state(quota, { quotaBytes: 5000, generation: 2 }));
    await publishState(state(deleted, { state: 'deleted', generation: 2 }));
    await publishState(state(missing, { state: 'locked', quotaBytes: 3000 }));
    void stranger;

    const drift = async () => (await api<Report>('GET', `/admin/drift?domain=${domain}`)).body;
    const report = await waitFor(
      async () => {
        // every published state is in the replica: only the stranger is unknown, the missing one counts
        const r = await drift();
        const unknown = r.differences.filter((d) => d.reason === 'unknown_to_directory');
        return unknown.length === 1 && r.differences.length === 5 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'the directory replica to hold the test states' },
    );
    expect(report.domains).toEqual([domain]);
    expect(report.differences.map((d) => [d.kind, d.address])).toEqual([
      ['extra', at('deleted')],
      ['missing', at('missing')],
      ['quota_mismatch', at('quota')],
      ['extra', at('stranger')],
      ['state_mismatch', at('suspended')],
    ]);
    expect(report.counts).toEqual({ extra: 2, missing: 1, quota_mismatch: 1, state_mismatch: 1 });
    expect(report.differences.find((d) => d.address === at('stranger'))).toMatchObject({
      reason: 'unknown_to_directory',
      repairable: false,
    });

    const repaired = await api<{ repairs: { address: string; action: string }[]; after: Report }>(
      'POST',
      `/admin/drift/repair?domain=${domain}`,
    );
    expect(repaired.status).toBe(200);
    expect(repaired.body.repairs.map((r) => [r.action, r.address]).sort()).toEqual(
      [
        ['deleted', at('deleted')],
        ['recreated', at('missing')],
        ['state_forced', at('quota')],
        ['state_forced', at('suspended')],
      ].sort(),
    );
    // only the mailbox nobody knows is left, for a person to decide
    expect(repaired.body.after.differences.map((d) => d.address)).toEqual([at('stranger')]);
    expect((await drift()).differences.map((d) => d.address)).toEqual([at('stranger')]);

    const rows = await queryVmail<{ username: string; active: boolean; quota_bytes: string | number }>(
      'SELECT username, active, quota_bytes FROM mailbox WHERE domain = $1 ORDER BY username',
      [domain],
    );
    expect(rows.map((r) => [r.username, r.active, Number(r.quota_bytes)])).toEqual([
      [at('missing'), false, 3000],
      [at('quota'), true, 5000],
      [at('same'), true, 1000],
      [at('stranger'), true, 1000],
      [at('suspended'), false, 1000],
    ]);
  });

  it('when aliases forwarding to mailboxes differ, then each is reported, and a repair sets, repoints and removes them', async () => {
    const aliasDomain = `a${randomBytes(4).toString('hex')}.drifttest.gov.vn`;
    const on = (local: string) => `${local}@${aliasDomain}`;
    const password = newPassword();
    const make = async (local: string) => {
      const c = buildCommand({
        address: on(local),
        passwordHash: await hashPassword(password),
        quotaBytes: 0,
      });
      await bus.publish(commandEvent(c));
      expect(await bus.waitForResult(c.mailboxId)).toMatchObject({ outcome: 'applied' });
      return c;
    };
    const a = await make('owner');
    const b = await make('other');
    const rows: [string, string, string | null, boolean][] = [
      [on('moved'), b.address, null, false], // listed for a, forwards to b
      [on('lapsed'), a.address, '2020-01-01T00:00:00Z', false], // listed, expired
      [on('stray'), b.address, null, false], // b lists nothing
      [on('dead'), a.address, '2020-01-01T00:00:00Z', false], // not listed, expired
      [on('team'), `${a.address},${b.address}`, null, true], // a group: not compared
    ];
    for (const [address, goto, expiresAt, restricted] of rows) {
      await queryVmail(
        `INSERT INTO alias (address, goto, domain, active, expires_at, generation, senders_restricted)
         VALUES ($1, $2, $3, true, $4, 3, $5)`,
        [address, goto, aliasDomain, expiresAt, restricted],
      );
    }
    const aliasesOfA = [on('listed'), on('moved'), on('lapsed')];
    await publishState({ ...state(a, { aliases: aliasesOfA, quotaBytes: 0 }), domain: aliasDomain });
    await publishState({ ...state(b, { quotaBytes: 0 }), domain: aliasDomain });

    const drift = async () => (await api<Report>('GET', `/admin/drift?domain=${aliasDomain}`)).body;
    const report = await waitFor(
      async () => {
        // both mailboxes in the replica (neither is unknown), so every alias is judged
        const r = await drift();
        const unknown = r.differences.some((d) => d.reason === 'unknown_to_directory');
        return !unknown && r.differences.length >= 5 ? r : undefined;
      },
      { timeoutMs: 30_000, what: 'the directory replica to hold the alias states' },
    );
    expect(report.differences.map((d) => [d.kind, d.address, d.repairable])).toEqual([
      ['alias_expired', on('dead'), true],
      ['alias_expired', on('lapsed'), false],
      ['alias_missing', on('listed'), true],
      ['alias_target_mismatch', on('moved'), true],
      ['alias_extra', on('stray'), true],
    ]);

    const repaired = await api<{ repairs: { address: string; action: string }[]; after: Report }>(
      'POST',
      `/admin/drift/repair?domain=${aliasDomain}`,
    );
    expect(repaired.body.repairs.map((r) => [r.action, r.address]).sort()).toEqual(
      [
        ['alias_removed', on('dead')],
        ['alias_set', on('listed')],
        ['alias_set', on('moved')],
        ['alias_removed', on('stray')],
      ].sort(),
    );
    // the expired alias the directory still lists is left for a person
    expect(repaired.body.after.differences.map((d) => [d.kind, d.address])).toEqual([
      ['alias_expired', on('lapsed')],
    ]);
    const left = await queryVmail<{ address: string; goto: string; generation: string }>(
      'SELECT address, goto, generation FROM alias WHERE domain = $1 ORDER BY address',
      [aliasDomain],
    );
    expect(left.map((r) => [r.address, r.goto, Number(r.generation)])).toEqual([
      [on('lapsed'), a.address, 3],
      [on('listed'), a.address, 0],
      [on('moved'), a.address, 3],
      [on('team'), `${a.address},${b.address}`, 3],
    ]);
    // Postfix follows the repaired alias
    await sendTestMail(on('listed'), 'via the repaired alias');
    await waitFor(async () => (await inboxSubjects(a.address, password)).includes('via the repaired alias'), {
      timeoutMs: 20_000,
      what: 'mail to the repaired alias in its mailbox',
    });
  });

  it('when the admin token is missing, then the drift routes refuse', async () => {
    const res = await fetch(`${env.provisionerUrl}/admin/drift`);
    expect(res.status).toBe(401);
  });
});

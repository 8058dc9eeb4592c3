// The drift check streamed (check-drift.ts): the directory's replica on a scratch database and a
// fresh domain of the real vmail, compared a page at a time on both sides. Every kind of
// difference is placed so that pages of 1, 2, 3 and 7 rows cut between the two sides' rows of one
// address, an alias and its mailbox, a deleted record and its successor; the report is the same
// whatever the page size, and the same as read whole. The repair then leaves only what needs a
// person.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { systemClock } from '@hopthu/shared/clock';
import { createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryMailbox, upsertDirectoryMailbox } from '../src/db/directory-mailbox-repository.ts';
import type { ProvisionerDb } from '../src/db/schema.ts';
import { checkDrift } from '../src/domain/drift/check-drift.ts';
import { repairDrift } from '../src/domain/drift/repair-drift.ts';
import type { MailServerAdapter } from '../src/domain/mail-server-adapter.ts';
import { clockedAdapter, logger, queryVmail } from './helpers.ts';

const tag = randomBytes(4).toString('hex');
const domain = `drift${tag}.provtest.gov.vn`;
const other = `old${tag}.provtest.gov.vn`;
const at = (local: string, d = domain) => `${local}@${d}`;
const GiB = 1024 ** 3;

describe('the drift check read a page at a time on both sides', () => {
  let scratch: ScratchDatabase<ProvisionerDb>;
  let adapter: MailServerAdapter;

  const record = (local: string, over: Partial<DirectoryMailbox> = {}): DirectoryMailbox => ({
    mailboxId: `m-${local}`,
    address: at(local),
    domain,
    state: 'active',
    quotaBytes: GiB,
    generation: 1,
    aliases: [],
    forwardTo: null,
    ...over,
  });

  beforeAll(async () => {
    scratch = await createScratchDatabase<ProvisionerDb>({
      service: 'provisioner',
      migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
    });
    adapter = (await clockedAdapter('provisioner-drift-')).adapter;
    const directory = [
      record('a00'),
      record('a01'), // missing in vmail
      record('a03', { state: 'deleted', aliases: [at('al03')] }), // still in vmail, with an alias
      record('a04', { state: 'suspended' }),
      record('a05', { quotaBytes: 2 * GiB }),
      record('a06', { state: 'provisioning' }), // in flight: not judged
      record('a07', { mailboxId: 'm-a07-a', state: 'deleted', generation: 3 }),
      record('a07', { mailboxId: 'm-a07-b', generation: 1 }), // the live one counts
      record('a08', { aliases: [at('al08')] }),
      record('a09', { aliases: [at('al09')] }), // alias missing in vmail
      record('a10', { aliases: [at('AL10')] }), // vmail sends it to a11
      record('a11'),
      record('a12', { aliases: [at('al12')] }), // expired in vmail
      record('a13', { forwardTo: at('fw13', other) }), // no forward row in vmail
      record('a14'), // a forward row the directory does not have
      record('a15', { state: 'provisioning', aliases: [at('al15')] }),
      record('a16', { aliases: [at('old16', other)] }), // in another domain: looked up alone
      record('a17', { aliases: [at('old17', other)] }), // …and missing there
      record('a18', { aliases: [at('al18')] }), // a group holds it
    ];
    for (const m of directory) await upsertDirectoryMailbox(scratch.db, m, new Date());
    await queryVmail('INSERT INTO domain (domain) VALUES ($1), ($2) ON CONFLICT DO NOTHING', [domain, other]);
    const mailboxes: [string, boolean, number][] = [
      ['a00', true, GiB],
      ['a02', true, GiB], // unknown to the directory
      ['a03', true, GiB],
      ['a04', true, GiB],
      ['a05', true, GiB],
      ['a07', true, GiB],
      ['a08', true, GiB],
      ['a09', true, GiB],
      ['a10', true, GiB],
      ['a11', true, GiB],
      ['a12', true, GiB],
      ['a13', true, GiB],
      ['a14', true, GiB],
      ['a16', true, GiB],
      ['a17', true, GiB],
      ['a18', true, GiB],
    ];
    for (const [local, active, quota] of mailboxes) {
      await queryVmail(
        `INSERT INTO mailbox (username, domain, password, quota_bytes, active, maildir, generation)
         VALUES ($1, $2, '{CRYPT}!drift-test', $3, $4, $5, 1)`,
        [at(local), domain, quota, active, `${domain}/${local}/`],
      );
    }
    const aliases: [string, string, string, Date | null][] = [
      [at('al03'), at('a03'), domain, null],
      [at('al08'), at('a08'), domain, null],
      [at('al10'), at('a11'), domain, null],
      [at('al12'), at('a12'), domain, new Date(Date.now() - 86_400_000)],
      [at('a14'), `${at('a14')},${at('ext14', other)}`, domain, null],
      [at('al15'), at('a15'), domain, null],
      [at('al18'), `${at('a18')},${at('a00')}`, domain, null],
      [at('zz00'), at('a00'), domain, null], // nobody lists it
      [at('old16', other), at('a16'), other, null],
    ];
    for (const [address, goto, d, expires] of aliases) {
      await queryVmail(
        'INSERT INTO alias (address, goto, domain, active, expires_at, generation) VALUES ($1, $2, $3, true, $4, 1)',
        [address, goto, d, expires],
      );
    }
  });
  afterAll(async () => {
    for (const d of [domain, other]) {
      await queryVmail('DELETE FROM alias WHERE domain = $1', [d]);
      await queryVmail('DELETE FROM mailbox WHERE domain = $1', [d]);
      await queryVmail('DELETE FROM domain WHERE domain = $1', [d]);
    }
    await adapter?.close();
    await scratch?.drop();
  });

  const deps = () => ({ db: scratch.db, adapter, clock: systemClock, logger });

  it('when read 1, 2, 3, 7 or 1,000 rows a page, then the report is the same, with every difference once', async () => {
    const whole = await checkDrift(deps(), { domain, pageSize: 1000 });
    expect(whole.differences.map((d) => [d.address, d.kind])).toEqual([
      [at('a01'), 'missing'],
      [at('a02'), 'extra'],
      [at('a03'), 'extra'],
      [at('a04'), 'state_mismatch'],
      [at('a05'), 'quota_mismatch'],
      [at('a13'), 'forward_mismatch'],
      [at('a14'), 'forward_extra'],
      [at('al03'), 'alias_extra'],
      [at('al09'), 'alias_missing'],
      [at('al10'), 'alias_target_mismatch'],
      [at('al12'), 'alias_expired'],
      [at('al18'), 'alias_target_mismatch'],
      [at('old17', other), 'alias_missing'],
      [at('zz00'), 'alias_extra'],
    ]);
    expect(whole).toMatchObject({
      domains: [domain],
      directoryMailboxes: 19,
      serverMailboxes: 16,
      directoryAliases: 8,
      serverAliases: 9, // the eight rows of the domain, and old16 found in the other one
      counts: { alias_extra: 2, alias_target_mismatch: 2, extra: 2 },
    });
    expect(whole.differences).toContainEqual(
      expect.objectContaining({ address: at('a02'), reason: 'unknown_to_directory', repairable: false }),
    );
    expect(whole.differences).toContainEqual(
      expect.objectContaining({ address: at('al03'), reason: 'mailbox_deleted', target: at('a03') }),
    );
    expect(whole.differences).toContainEqual(
      expect.objectContaining({
        address: at('al18'),
        repairable: false,
        actual: expect.objectContaining({ group: true }),
      }),
    );
    for (const pageSize of [1, 2, 3, 7]) {
      expect(await checkDrift(deps(), { domain, pageSize }), `pages of ${pageSize}`).toEqual(whole);
    }
  });

  it('when repaired a page at a time, then only what needs a person is left', async () => {
    const { after, failures } = await repairDrift(deps(), { domain });
    expect(failures).toEqual([]);
    expect(after.differences.map((d) => [d.address, d.kind])).toEqual([
      [at('a02'), 'extra'],
      [at('al12'), 'alias_expired'],
      [at('al18'), 'alias_target_mismatch'],
    ]);
    expect(await checkDrift(deps(), { domain, pageSize: 2 })).toEqual(after);
  });
});

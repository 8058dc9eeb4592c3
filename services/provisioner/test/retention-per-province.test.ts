// Each province keeps deleted mail for its own period (retention.deletedMailDays of its policy
// file): on the real mail server, two mailboxes deleted the same day, one in a province that keeps
// mail 7 days and one in a domain of no province (VMAIL_RETENTION_DAYS, here 30); after 8 days the
// purge removes the first and keeps the second in the same day folder.
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { installProvincePolicies, listPolicies, parseProvincePolicy } from '@hopthu/naming';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRetention } from '../src/domain/retention/list-retention.ts';
import { purgeRetention } from '../src/domain/retention/purge-retention.ts';
import { addDays, utcDay } from '../src/domain/retention/retention-dates.ts';
import {
  deliverMail,
  hashPassword,
  logger,
  newPassword,
  repoRoot,
  TEST_DOMAIN,
  uniqueAddress,
  clockedAdapter,
} from './helpers.ts';

// A province of the test's own (the An Giang worked example on a test domain), keeping 7 days.
const PROVINCE_DOMAIN = 'agtest-retention.gov.vn';
const seeds = listPolicies();

beforeAll(() => {
  const example = JSON.parse(readFileSync(path.join(repoRoot, 'docs/provinces/an-giang.json'), 'utf8'));
  example.domain = PROVINCE_DOMAIN;
  example.retention.deletedMailDays = 7;
  const parsed = parseProvincePolicy(example);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  installProvincePolicies([...seeds, parsed.policy]);
});

afterAll(() => installProvincePolicies(seeds));

describe('retention per province', () => {
  it("when two mailboxes are deleted the same day, then each one's mail goes after its own province's period", async () => {
    const { clock, retentionDir, adapter } = await clockedAdapter('provisioner-retention-');
    const deps = { adapter, clock, retentionDays: 30, logger };
    try {
      const inProvince = uniqueAddress('ag').replace(`@${TEST_DOMAIN}`, `@${PROVINCE_DOMAIN}`);
      const elsewhere = uniqueAddress('other');
      for (const [address, domain] of [
        [inProvince, PROVINCE_DOMAIN],
        [elsewhere, TEST_DOMAIN],
      ] as const) {
        const password = newPassword();
        const created = await adapter.createMailbox({
          address,
          domain,
          generation: 1,
          passwordHash: await hashPassword(password),
          quotaBytes: 0,
        });
        expect(created.outcome).toBe('applied');
        await deliverMail(address, password, 'mail kept for the province period');
        expect((await adapter.deleteMailbox({ address, generation: 2 })).outcome).toBe('applied');
      }
      const deletedOn = utcDay(clock.now());
      const purgeOn = Object.fromEntries(
        (await listRetention(deps)).entries.map((e) => [e.address, e.purgeOn]),
      );
      expect(purgeOn).toEqual({ [inProvince]: addDays(deletedOn, 8), [elsewhere]: addDays(deletedOn, 31) });

      clock.set(new Date(Date.parse(`${addDays(deletedOn, 8)}T00:00:00Z`)));
      const { purged } = await purgeRetention(deps);
      expect(purged.map((r) => r.address)).toEqual([inProvince]);
      const left = (await listRetention(deps)).entries;
      expect(left.map((e) => e.address)).toEqual([elsewhere]);
      expect(existsSync(left[0]?.location ?? '')).toBe(true);
    } finally {
      await adapter.close();
      await rm(retentionDir, { recursive: true, force: true });
    }
  });
});

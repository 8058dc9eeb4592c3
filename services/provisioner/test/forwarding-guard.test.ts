// Bắc Ninh Điều 8 khoản 5 at the mail server itself: whatever sends the command, a set_alias on an
// address of a province with the forwarding rule that would send its mail on to a mailbox not
// issued by a state body fails for good naming the article, and vmail gets no row.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCommand, queryVmail, useProvisioner } from './helpers.ts';

const t = useProvisioner();

describe('forwarding out of Bắc Ninh at the mail server', () => {
  it('when a set_alias at bacninh.gov.vn targets gmail.com, then it fails naming Điều 8 khoản 5 and vmail has no alias', async () => {
    const address = `kt${randomBytes(5).toString('hex')}@bacninh.gov.vn`;
    const command = buildCommand({
      address,
      domain: 'bacninh.gov.vn',
      mailboxId: randomUUID(),
      action: 'set_alias',
      aliasTargets: ['canbo.rieng@gmail.com'],
    });
    expect(await t.apply(command, 1)).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/Điều 8 khoản 5/),
    });
    expect(await queryVmail('SELECT 1 FROM alias WHERE address = $1', [address])).toEqual([]);
  });
});

// Bắc Ninh Điều 8 khoản 5 at the mail server itself: whatever sends the command, a set_alias on an
// address of a province with the forwarding rule that would send its mail on to a mailbox not
// issued by a state body fails for good naming the article, and vmail gets no row.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCommand, hashPassword, newPassword, queryVmail, useProvisioner } from './helpers.ts';

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

describe("a mailbox's own forward row at the mail server", () => {
  it('when a Bắc Ninh mailbox is forwarded within the province, then its row lists itself and the target; to gmail.com or without itself, refused', async () => {
    const address = `ct${randomBytes(5).toString('hex')}@bacninh.gov.vn`;
    const target = `nhan${randomBytes(4).toString('hex')}@bacninh.gov.vn`;
    const mailboxId = randomUUID();
    const on = (generation: number, action: 'create' | 'set_alias' | 'remove_alias' | 'delete', more = {}) =>
      buildCommand({ address, domain: 'bacninh.gov.vn', mailboxId, generation, action, ...more });
    expect(
      await t.apply(on(1, 'create', { passwordHash: await hashPassword(newPassword()) }), 1),
    ).toMatchObject({
      outcome: 'applied',
    });
    try {
      expect(await t.apply(on(2, 'set_alias', { aliasTargets: [address, target] }), 2)).toMatchObject({
        outcome: 'applied',
      });
      const goto = async () =>
        (await queryVmail<{ goto: string }>('SELECT goto FROM alias WHERE address = $1', [address]))[0]?.goto;
      expect((await goto())?.split(',').sort()).toEqual([address, target].sort());

      expect(
        await t.apply(on(3, 'set_alias', { aliasTargets: [address, 'canbo@gmail.com'] }), 3),
      ).toMatchObject({
        outcome: 'failed',
        error: expect.stringMatching(/Điều 8 khoản 5/),
      });
      expect(await t.apply(on(4, 'set_alias', { aliasTargets: [target] }), 4)).toMatchObject({
        outcome: 'failed',
        error: expect.stringMatching(/is a mailbox/),
      });
      expect((await goto())?.split(',').sort()).toEqual([address, target].sort());
    } finally {
      await t.apply(on(5, 'delete'), 5);
      await t.apply(on(6, 'remove_alias'), 6);
    }
    expect(await queryVmail('SELECT 1 FROM alias WHERE address = $1', [address])).toEqual([]);
  });
});

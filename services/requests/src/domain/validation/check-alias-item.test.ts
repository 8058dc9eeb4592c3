import { describe, expect, it } from 'vitest';
import type { AgencyRow, MailboxRow } from '../../db/replica-repository.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { checkAliasItem } from './check-alias-item.ts';
import { type Item, type ItemContext, Problems } from './check-item.ts';

const AGENCY = '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';
const MAILBOX = 'tvanh.stttt@bacninh.gov.vn';

function check(item: Item, province = 'bac-ninh', domain = 'bacninh.gov.vn'): Problems {
  const agency = { agency_id: AGENCY, province, domain } as unknown as AgencyRow;
  const address = MAILBOX.replace('bacninh.gov.vn', domain);
  const mailbox = { address, agency_id: AGENCY } as unknown as MailboxRow;
  const ctx = {
    body: { agencyId: AGENCY, items: [item] } as unknown as SubmitBody,
    agency,
    agencies: new Map([[AGENCY, agency]]),
    mailboxes: new Map([[address, mailbox]]),
  } as unknown as ItemContext;
  const problems = new Problems();
  checkAliasItem(ctx, item, '/items/0', problems);
  return problems;
}
const errors = (p: Problems) =>
  p.invalid.map((e) => ({ field: e.field, vi: e.message.vi, en: e.message.en }));

describe('an item on a mailbox alias', () => {
  it("when the alias is in the mailbox's domain, then it passes; a removal needs only the alias", () => {
    expect(
      errors(check({ operation: 'add_alias', address: MAILBOX, alias: 'motcua.stttt@bacninh.gov.vn' })),
    ).toEqual([]);
    expect(errors(check({ operation: 'remove_alias', address: MAILBOX, alias: 'x@bacninh.gov.vn' }))).toEqual(
      [],
    );
  });

  it('when Bắc Ninh is asked for an alias outside its domains, then the alias field is refused naming Điều 8 khoản 5 in both languages', () => {
    const [error] = errors(check({ operation: 'add_alias', address: MAILBOX, alias: 'canbo@gmail.com' }));
    expect(error?.field).toBe('/items/0/alias');
    expect(error?.vi).toContain('Điều 8 khoản 5');
    expect(error?.en).toContain('Điều 8 khoản 5');
  });

  it("when the alias is another state body's address or malformed, then it is refused as outside the mailbox's domain", () => {
    for (const alias of ['a@mic.gov.vn', 'Khong Hop Le@bacninh.gov.vn']) {
      const [error] = errors(check({ operation: 'add_alias', address: MAILBOX, alias }));
      expect(error?.field).toBe('/items/0/alias');
      expect(error?.en).toContain("mailbox's domain");
    }
  });

  it('when a province has no forwarding rule, then an outside alias is still refused, without the article', () => {
    const [error] = errors(
      check(
        { operation: 'add_alias', address: 'tvanh.stttt@daknong.gov.vn', alias: 'x@gmail.com' },
        'dak-nong',
        'daknong.gov.vn',
      ),
    );
    expect(error?.field).toBe('/items/0/alias');
    expect(error?.vi).not.toContain('Điều 8');
  });

  it('when an alias item has no alias, or another item has one, then alias is named', () => {
    expect(errors(check({ operation: 'add_alias', address: MAILBOX })).map((e) => e.field)).toEqual([
      '/items/0/alias',
    ]);
    expect(
      errors(check({ operation: 'suspend', address: MAILBOX, alias: 'x@bacninh.gov.vn' })).map(
        (e) => e.field,
      ),
    ).toEqual(['/items/0/alias']);
  });
});

// One personal mailbox per civil servant (all five texts), except Đắk Nông Điều 5: "trừ một số
// trường hợp đặc biệt, một số cá nhân có thể quản lý nhiều hơn một hộp thư". The exception must
// be asked for with a reason, is recorded in the new mailbox's history, and is refused elsewhere.
import { describe, expect, it } from 'vitest';
import {
  commandFor,
  createPerson,
  itemApproved,
  mailboxHistory,
  publish,
  randomLetters,
  registerTestAgency,
  resultFor,
  TEST_HASH,
  useDirectory,
} from './helpers.ts';

const t = useDirectory();

function secondCreate(
  province: string,
  agencyId: string,
  person: Record<string, string>,
  exceptionReason?: string,
) {
  return itemApproved({
    province,
    agencyId,
    operation: 'create',
    mailboxType: 'personal',
    person: person as never,
    passwordHash: TEST_HASH,
    ...(exceptionReason ? { exceptionReason } : {}),
  });
}

describe('several personal mailboxes for one person', () => {
  it('when Đắk Nông asks for a second mailbox with a reason, then it is created and the exception is in its history', async () => {
    const agency = await registerTestAgency({ province: 'dak-nong' });
    const person = {
      familyName: 'Hoàng',
      middleName: 'Văn',
      givenName: `Thụ${randomLetters(6)}`,
      position: 'Văn thư',
      department: 'Văn phòng',
    };
    const first = await createPerson(t.bus, t.collector, agency, person, 'dak-nong');

    const without = secondCreate('dak-nong', agency.agencyId, person);
    await publish(t.bus, [without]);
    expect((await resultFor(t.collector, without.data.itemId)).data).toMatchObject({ outcome: 'failed' });

    const reason = 'Kiêm nhiệm văn thư của Ban Tiếp công dân';
    const withReason = secondCreate('dak-nong', agency.agencyId, person, reason);
    await publish(t.bus, [withReason]);
    const second = await commandFor(t.collector, withReason.data.itemId);
    expect(second.data.address).not.toBe(first.data.address);
    const history = await mailboxHistory(second.data.mailboxId);
    expect(history.find((h) => h.change === 'created')?.details).toMatchObject({
      exception: { reason, article: 'Điều 5' },
    });
  });

  it('when another province is asked for such an exception, then the item fails with the reason', async () => {
    const agency = await registerTestAgency({ province: 'bac-ninh' });
    const person = { familyName: 'Hoàng', middleName: 'Văn', givenName: `Thụ${randomLetters(6)}` };
    const item = secondCreate('bac-ninh', agency.agencyId, person, 'Kiêm nhiệm');
    await publish(t.bus, [item]);
    const result = await resultFor(t.collector, item.data.itemId);
    expect(result.data.outcome).toBe('failed');
    expect(JSON.stringify(result.data)).toContain('Bắc Ninh');
  });
});

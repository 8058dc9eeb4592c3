// The directory on the real stack: agencies and their mailboxes, approved items turned into
// provisioning commands with addresses from the naming policy, inbox de-duplication, results,
// operator decisions and the public search.
import { randomUUID } from 'node:crypto';
import { foldToAscii } from '@hopthu/naming';
import { waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  admin,
  baseUrl,
  isCommand,
  isResult,
  commandFor,
  confirmCommand,
  itemApproved,
  mailboxState,
  publish,
  randomLetters,
  registerTestAgency,
  resultFor,
  TEST_HASH,
  useDirectory,
} from './helpers.ts';

const GB = 1024 ** 3;

const t = useDirectory();

describe('registering an agency', () => {
  it('when an agency is registered, then its agency and mailbox states and a create command are published', async () => {
    const agency = await registerTestAgency();
    expect(agency.officialMailbox).toBe(`${agency.abbreviation}@bacninh.gov.vn`);

    const command = await t.collector.waitForEvent(
      (e) => isCommand(e) && e.data.mailboxId === agency.officialMailboxId,
      'create command',
    );
    expect(command.data).toMatchObject({
      action: 'create',
      address: agency.officialMailbox,
      domain: 'bacninh.gov.vn',
      generation: 1,
      quotaBytes: 10 * GB,
      requestId: null,
    });
    expect((command.data as { passwordHash: string }).passwordHash).toMatch(
      /^\{SSHA512\}[A-Za-z0-9+/]+={0,2}$/,
    );
    const agencyState = await t.collector.waitForEvent(
      (e) => e.type === 'vn.gov.hopthu.directory.agency.v1' && e.data.agencyId === agency.agencyId,
      'agency state',
    );
    expect(agencyState.data).toMatchObject({
      officialMailbox: agency.officialMailbox,
      ancestorIds: [agency.agencyId],
      domain: 'bacninh.gov.vn',
    });
    const mailboxEvent = await t.collector.waitForEvent(
      (e) => e.type === 'vn.gov.hopthu.directory.mailbox.v1' && e.data.mailboxId === agency.officialMailboxId,
      'mailbox state',
    );
    expect(mailboxEvent.data).toMatchObject({
      type: 'agency',
      state: 'provisioning',
      address: agency.officialMailbox,
    });
  });

  it('when another agency asks for a taken abbreviation, then it is refused with 409 naming the holder', async () => {
    const agency = await registerTestAgency();
    const again = await admin('POST', '/admin/agencies', {
      province: 'bac-ninh',
      name: 'Tên khác',
      abbreviation: agency.abbreviation,
      unitType: 'agency',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      holder: { agencyId: agency.agencyId, abbreviation: agency.abbreviation },
    });
  });

  it('when a sub-unit is registered, then its mailbox is sub.parent and its ancestors are listed nearest first', async () => {
    const parent = await registerTestAgency();
    const child = await registerTestAgency({
      abbreviation: `c${randomLetters(8)}`,
      unitType: 'subunit',
      parentId: parent.agencyId,
    });
    expect(child.officialMailbox).toBe(`${child.abbreviation}.${parent.abbreviation}@bacninh.gov.vn`);
    const state = await t.collector.waitForEvent(
      (e) => e.type === 'vn.gov.hopthu.directory.agency.v1' && e.data.agencyId === child.agencyId,
      'sub-unit state',
    );
    expect(state.data).toMatchObject({
      parentId: parent.agencyId,
      ancestorIds: [child.agencyId, parent.agencyId],
    });
  });

  it('when the request has no admin token, then it is refused', async () => {
    const res = await fetch(`${baseUrl}/admin/agencies`);
    expect(res.status).toBe(401);
  });
});

describe('approved items', () => {
  it('when two Trần Văn Anh are approved at one agency, then they get tvanh.<abbr> and tvanh1.<abbr>', async () => {
    const agency = await registerTestAgency();
    const first = itemApproved({
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: {
        familyName: 'Trần',
        middleName: 'Văn',
        givenName: 'Anh',
        position: 'Chuyên viên',
        department: 'Phòng CNTT',
      },
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [first]);
    const firstCommand = await commandFor(t.collector, first.data.itemId);
    expect(firstCommand.data).toMatchObject({
      action: 'create',
      address: `tvanh.${agency.abbreviation}@bacninh.gov.vn`,
      generation: 1,
      quotaBytes: GB,
      passwordHash: TEST_HASH,
      requestId: first.data.requestId,
    });

    const second = itemApproved({
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh', position: 'Phó Trưởng phòng' },
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [second]);
    const secondCommand = await commandFor(t.collector, second.data.itemId);
    expect(secondCommand.data.address).toBe(`tvanh1.${agency.abbreviation}@bacninh.gov.vn`);
  });

  it('when the same event arrives twice, then it is processed once', async () => {
    const agency = await registerTestAgency();
    const event = itemApproved({
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { familyName: 'Lê', middleName: 'Thị', givenName: 'Hoa' },
      passwordHash: TEST_HASH,
    });
    const marker = itemApproved({
      requestId: event.data.requestId,
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { familyName: 'Phạm', middleName: '', givenName: 'Minh' },
      passwordHash: TEST_HASH,
    });
    // Same key, so the marker is handled after both copies.
    await publish(t.bus, [event, event, marker]);
    await commandFor(t.collector, marker.data.itemId);
    const commands = t.collector.events.filter((e) => isCommand(e) && e.data.itemId === event.data.itemId);
    expect(commands).toHaveLength(1);
    expect(commands[0]?.data).toMatchObject({ address: `lthoa.${agency.abbreviation}@bacninh.gov.vn` });
    // The provisioner, when running, answers 'applied' for the one command; no item may fail.
    const failures = t.collector.events.filter(
      (e) => isResult(e) && e.data.itemId === event.data.itemId && e.data.outcome === 'failed',
    );
    expect(failures).toHaveLength(0);
  });

  it('when the person already holds a mailbox there, then the item is answered failed with a reason', async () => {
    const agency = await registerTestAgency();
    const person = {
      familyName: 'Đỗ',
      middleName: 'Văn',
      givenName: 'Nam',
      position: 'Chuyên viên',
      department: 'Văn phòng',
    };
    const first = itemApproved({
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person,
      passwordHash: TEST_HASH,
    });
    const again = itemApproved({
      requestId: first.data.requestId,
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person,
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [first, again]);
    await commandFor(t.collector, first.data.itemId);
    const result = await resultFor(t.collector, again.data.itemId);
    expect(result.data).toMatchObject({ outcome: 'failed', requestId: first.data.requestId });
    expect((result.data as { error: string }).error).toMatch(
      /đã có hộp thư cá nhân.*already has a personal mailbox/,
    );
  });

  it('when a create is confirmed and then suspended, then the mailbox goes active, then suspended with generation 2 and history', async () => {
    const agency = await registerTestAgency();
    const create = itemApproved({
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { familyName: 'Vũ', middleName: 'Đức', givenName: 'Long' },
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [create]);
    const command = await commandFor(t.collector, create.data.itemId);
    await confirmCommand(t.bus, command);
    await waitFor(async () => (await mailboxState(command.data.mailboxId)).state === 'active', {
      what: 'active',
    });

    const suspend = itemApproved({
      agencyId: agency.agencyId,
      operation: 'suspend',
      mailboxType: 'personal',
      address: command.data.address,
      reason: 'Nghỉ phép dài hạn',
    });
    await publish(t.bus, [suspend]);
    const suspendCommand = await commandFor(t.collector, suspend.data.itemId);
    expect(suspendCommand.data).toMatchObject({
      action: 'suspend',
      mailboxId: command.data.mailboxId,
      generation: 2,
    });
    expect(await mailboxState(command.data.mailboxId)).toMatchObject({ state: 'suspended', generation: 2 });

    const history = await admin('GET', `/v1/mailboxes/${command.data.mailboxId}/history`);
    const changes = (
      history.body.items as { change: string; itemId: string | null; reason: string | null }[]
    ).map((h) => h.change);
    expect(changes).toEqual(expect.arrayContaining(['created', 'create_applied', 'suspended']));
    const suspended = (history.body.items as { change: string; itemId: string; reason: string }[]).find(
      (h) => h.change === 'suspended',
    );
    expect(suspended).toMatchObject({ itemId: suspend.data.itemId, reason: 'Nghỉ phép dài hạn' });
  });

  it('when another agency asks to suspend a mailbox it does not own, then the item fails', async () => {
    const owner = await registerTestAgency();
    const stranger = await registerTestAgency();
    const suspend = itemApproved({
      agencyId: stranger.agencyId,
      operation: 'suspend',
      mailboxType: 'agency',
      address: owner.officialMailbox,
    });
    await publish(t.bus, [suspend]);
    const result = await resultFor(t.collector, suspend.data.itemId);
    expect(result.data.outcome).toBe('failed');
    expect(t.collector.events.some((e) => isCommand(e) && e.data.itemId === suspend.data.itemId)).toBe(false);
  });

  it('when a position changes, then only the directory changes and the item is answered applied', async () => {
    const agency = await registerTestAgency();
    const create = itemApproved({
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { familyName: 'Hoàng', middleName: 'Thị', givenName: 'Mai', position: 'Chuyên viên' },
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [create]);
    const command = await commandFor(t.collector, create.data.itemId);
    const update = itemApproved({
      agencyId: agency.agencyId,
      operation: 'update',
      mailboxType: 'personal',
      address: command.data.address,
      changes: { position: 'Trưởng phòng' },
    });
    await publish(t.bus, [update]);
    const result = await resultFor(t.collector, update.data.itemId);
    expect(result.data).toMatchObject({ outcome: 'applied', address: command.data.address });
    const state = await t.collector.waitForEvent(
      (e) =>
        e.type === 'vn.gov.hopthu.directory.mailbox.v1' &&
        e.data.mailboxId === command.data.mailboxId &&
        e.data.position === 'Trưởng phòng',
      'updated mailbox state',
    );
    expect(state.data).toMatchObject({ displayName: 'Hoàng Thị Mai', generation: 1 });
  });
});

describe('operator decisions', () => {
  it('when Khánh Hòa has a personal collision, then the item waits for an operator and goes on when decided', async () => {
    const agency = await registerTestAgency({ province: 'khanh-hoa' });
    const given = `Phương${randomLetters(5)}`;
    const person = { familyName: 'Lê', middleName: 'Đức', givenName: given };
    const first = itemApproved({
      province: 'khanh-hoa',
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person,
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [first]);
    const firstCommand = await commandFor(t.collector, first.data.itemId);
    expect(firstCommand.data.address).toBe(`ld${foldToAscii(given)}@khanhhoa.gov.vn`);

    const second = itemApproved({
      province: 'khanh-hoa',
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { ...person, position: 'Phó Giám đốc' },
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [second]);
    const decision = await waitFor(
      async () => {
        const list = await admin('GET', '/admin/decisions');
        return (list.body.items as { id: string; itemId: string; candidates: string[] }[]).find(
          (d) => d.itemId === second.data.itemId,
        );
      },
      { what: 'pending decision' },
    );
    expect(decision.candidates.length).toBeGreaterThan(0);
    const chosen = decision.candidates[0] as string;
    const decided = await admin('POST', `/admin/decisions/${decision.id}`, { address: chosen });
    expect(decided.status).toBe(200);
    const command = await commandFor(t.collector, second.data.itemId);
    expect(command.data).toMatchObject({ action: 'create', address: chosen });
    const again = await admin('POST', `/admin/decisions/${decision.id}`, { address: chosen });
    expect(again.status).toBe(409);
  });
});

describe('public directory', () => {
  it('when searching a name without diacritics, then the person is found with public fields only', async () => {
    const agency = await registerTestAgency();
    const create = itemApproved({
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: {
        familyName: 'Nguyễn',
        middleName: 'Văn',
        givenName: 'A',
        position: 'Chuyên viên',
        department: 'Phòng Kế hoạch',
      },
      passwordHash: TEST_HASH,
    });
    await publish(t.bus, [create]);
    const command = await commandFor(t.collector, create.data.itemId);
    await confirmCommand(t.bus, command);
    const found = await waitFor(
      async () => {
        const res = await fetch(
          `${baseUrl}/v1/directory/search?q=${encodeURIComponent('nguyen van a')}&agency=${agency.abbreviation}`,
        );
        const body = (await res.json()) as { items: Record<string, unknown>[] };
        return body.items.find((i) => i.address === command.data.address);
      },
      { what: 'search hit' },
    );
    expect(found).toEqual({
      address: `nva.${agency.abbreviation}@bacninh.gov.vn`,
      type: 'personal',
      displayName: 'Nguyễn Văn A',
      position: 'Chuyên viên',
      department: 'Phòng Kế hoạch',
      agencyId: agency.agencyId,
      agencyName: `Sở Kiểm thử ${agency.abbreviation}`,
      agencyAbbreviation: agency.abbreviation,
      province: 'bac-ninh',
    });
    const byAddress = await fetch(
      `${baseUrl}/v1/directory/search?address=${encodeURIComponent(command.data.address)}`,
    );
    expect(((await byAddress.json()) as { items: unknown[] }).items).toHaveLength(1);
    const miss = await fetch(
      `${baseUrl}/v1/directory/search?q=nguyen%20van%20zzz&agency=${agency.abbreviation}`,
    );
    expect(((await miss.json()) as { items: unknown[] }).items).toHaveLength(0);
  });

  it('when a mailbox id is unknown, then its history is 404', async () => {
    const res = await admin('GET', `/v1/mailboxes/${randomUUID()}/history`);
    expect(res.status).toBe(404);
  });
});

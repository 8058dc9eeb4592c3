// Operators' address tools on the real stack: renaming and moving agencies (addresses follow the
// tree, versions kept), aliases and group addresses as provisioning commands, reserved addresses,
// agencies' own names, and retired addresses held back from reissue.
import type { Envelope } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  admin,
  commandFor,
  confirmCommand,
  createPerson,
  isCommand,
  itemApproved,
  mailboxHistory,
  mailboxState,
  publish,
  randomLetters,
  registerTestAgency,
  useDirectory,
} from './helpers.ts';

const DAY_MS = 24 * 3600 * 1000;
type Command = Envelope<'vn.gov.hopthu.provisioning.command.v1'>;

const t = useDirectory();

const commandOf = (mailboxId: string, action: string, what: string) =>
  t.collector.waitForEvent(
    (e) => isCommand(e) && e.data.mailboxId === mailboxId && e.data.action === action,
    what,
  ) as Promise<Command>;

describe('renaming and moving an agency', () => {
  it('when a Bắc Ninh agency gets a new abbreviation, then its mailbox, its units and its people follow and the old names stay aliases', async () => {
    const agency = await registerTestAgency();
    const unit = await registerTestAgency({
      abbreviation: `u${randomLetters(6)}`,
      unitType: 'subunit',
      parentId: agency.agencyId,
    });
    const boss = await createPerson(t.bus, t.collector, agency, {
      familyName: 'Trần',
      middleName: 'Văn',
      givenName: 'Anh',
    });
    const second = await createPerson(t.bus, t.collector, agency, {
      familyName: 'Trần',
      middleName: 'Văn',
      givenName: 'Anh',
      position: 'Văn thư',
    });
    const staff = await createPerson(t.bus, t.collector, unit, {
      familyName: 'Lê',
      middleName: 'Thị',
      givenName: 'Thu',
    });
    expect(second.data.address).toBe(`tvanh1.${agency.abbreviation}@bacninh.gov.vn`);
    expect(staff.data.address).toBe(`ltthu.${unit.abbreviation}.${agency.abbreviation}@bacninh.gov.vn`);

    const abbreviation = `n${randomLetters(8)}`;
    const res = await admin('PATCH', `/admin/agencies/${agency.agencyId}`, {
      name: `Sở Nội vụ ${abbreviation}`,
      abbreviation,
      reason: 'Quyết định hợp nhất',
    });
    expect(res.status).toBe(200);
    const at = (local: string) => `${local}@bacninh.gov.vn`;
    expect(res.body.changed).toEqual(
      expect.arrayContaining([
        { mailboxId: agency.officialMailboxId, from: agency.officialMailbox, to: at(abbreviation) },
        {
          mailboxId: unit.officialMailboxId,
          from: unit.officialMailbox,
          to: at(`${unit.abbreviation}.${abbreviation}`),
        },
        { mailboxId: boss.data.mailboxId, from: boss.data.address, to: at(`tvanh.${abbreviation}`) },
        { mailboxId: second.data.mailboxId, from: second.data.address, to: at(`tvanh1.${abbreviation}`) },
        {
          mailboxId: staff.data.mailboxId,
          from: staff.data.address,
          to: at(`ltthu.${unit.abbreviation}.${abbreviation}`),
        },
      ]),
    );
    const rename = await commandOf(second.data.mailboxId, 'rename', 'rename of the second Trần Văn Anh');
    expect(rename.data).toMatchObject({
      address: second.data.address,
      newAddress: at(`tvanh1.${abbreviation}`),
      generation: 2,
    });
    expect(await mailboxState(staff.data.mailboxId)).toMatchObject({
      address: at(`ltthu.${unit.abbreviation}.${abbreviation}`),
      aliases: [staff.data.address],
    });
    const history = await mailboxHistory(boss.data.mailboxId);
    expect(history.find((h) => h.change === 'address_changed')).toMatchObject({
      reason: 'Quyết định hợp nhất',
      details: { why: 'agency_renamed', from: boss.data.address },
    });
    const versions = await admin('GET', `/admin/agencies/${agency.agencyId}/versions`);
    const items = versions.body.items as {
      abbreviation: string;
      validTo: string | null;
      reason: string | null;
    }[];
    expect(items.map((v) => v.abbreviation)).toEqual([agency.abbreviation, abbreviation]);
    expect(items[0]?.validTo).not.toBeNull();
    expect(items[1]).toMatchObject({ validTo: null, reason: 'Quyết định hợp nhất' });
    await t.collector.waitForEvent(
      (e) =>
        e.type === 'vn.gov.hopthu.directory.agency.v1' &&
        e.data.agencyId === agency.agencyId &&
        e.data.abbreviation === abbreviation &&
        e.data.officialMailbox === at(abbreviation),
      'renamed agency state',
    );
  });

  it('when a unit moves to another parent, then its mailbox and people take the new parent part and its version records the parent', async () => {
    const first = await registerTestAgency();
    const next = await registerTestAgency();
    const unit = await registerTestAgency({
      abbreviation: `u${randomLetters(6)}`,
      unitType: 'subunit',
      parentId: first.agencyId,
    });
    const person = await createPerson(t.bus, t.collector, unit, {
      familyName: 'Phan',
      middleName: 'Văn',
      givenName: 'Khải',
    });
    const res = await admin('PATCH', `/admin/agencies/${unit.agencyId}`, { parentId: next.agencyId });
    expect(res.status).toBe(200);
    expect(await mailboxState(unit.officialMailboxId)).toMatchObject({
      address: `${unit.abbreviation}.${next.abbreviation}@bacninh.gov.vn`,
      aliases: [unit.officialMailbox],
    });
    expect((await mailboxState(person.data.mailboxId)).address).toBe(
      `pvkhai.${unit.abbreviation}.${next.abbreviation}@bacninh.gov.vn`,
    );
    const versions = await admin('GET', `/admin/agencies/${unit.agencyId}/versions`);
    expect((versions.body.items as { parentId: string }[]).map((v) => v.parentId)).toEqual([
      first.agencyId,
      next.agencyId,
    ]);
    await t.collector.waitForEvent(
      (e) =>
        e.type === 'vn.gov.hopthu.directory.agency.v1' &&
        e.data.agencyId === unit.agencyId &&
        e.data.ancestorIds.join() === [unit.agencyId, next.agencyId].join(),
      'moved unit state',
    );
  });

  it('when the new abbreviation is taken or the parent is its own unit, then the change is refused and nothing moves', async () => {
    const agency = await registerTestAgency();
    const other = await registerTestAgency();
    const unit = await registerTestAgency({
      abbreviation: `u${randomLetters(6)}`,
      unitType: 'subunit',
      parentId: agency.agencyId,
    });
    expect(
      (await admin('PATCH', `/admin/agencies/${agency.agencyId}`, { abbreviation: other.abbreviation }))
        .status,
    ).toBe(409);
    expect(
      (await admin('PATCH', `/admin/agencies/${agency.agencyId}`, { parentId: unit.agencyId })).status,
    ).toBe(400);
    expect((await mailboxState(agency.officialMailboxId)).address).toBe(agency.officialMailbox);
  });

  it('when a Khánh Hòa agency is renamed, then its mailbox follows but personal addresses (no agency part) stay', async () => {
    const agency = await registerTestAgency({ province: 'khanh-hoa' });
    const person = await createPerson(
      t.bus,
      t.collector,
      agency,
      { familyName: 'Võ', middleName: 'Thị', givenName: `Sáu${randomLetters(5)}` },
      'khanh-hoa',
    );
    const abbreviation = `k${randomLetters(8)}`;
    const res = await admin('PATCH', `/admin/agencies/${agency.agencyId}`, { abbreviation });
    expect(res.status).toBe(200);
    expect(res.body.changed).toEqual([
      {
        mailboxId: agency.officialMailboxId,
        from: agency.officialMailbox,
        to: `${abbreviation}@khanhhoa.gov.vn`,
      },
    ]);
    expect((await mailboxState(person.data.mailboxId)).address).toBe(person.data.address);
  });
});

describe('aliases', () => {
  it('when an operator adds and removes an alias, then set_alias and remove_alias commands go out and the state lists it meanwhile', async () => {
    const agency = await registerTestAgency();
    const alias = `vanthu.${agency.abbreviation}@bacninh.gov.vn`;
    const added = await admin('POST', '/admin/aliases', {
      address: alias,
      mailboxId: agency.officialMailboxId,
    });
    expect(added.status).toBe(201);
    const set = (await t.collector.waitForEvent(
      (e) => isCommand(e) && e.data.action === 'set_alias' && e.data.address === alias,
      'set_alias',
    )) as Command;
    expect(set.data).toMatchObject({
      mailboxId: added.body.id,
      generation: 1,
      aliasTargets: [agency.officialMailbox],
      domain: 'bacninh.gov.vn',
    });
    expect((await mailboxState(agency.officialMailboxId)).aliases).toEqual([alias]);
    // taken now: neither a second alias nor a mailbox can have it
    expect(
      (await admin('POST', '/admin/aliases', { address: alias, mailboxId: agency.officialMailboxId })).status,
    ).toBe(409);

    const removed = await admin('DELETE', `/admin/aliases/${encodeURIComponent(alias)}`);
    expect(removed.status).toBe(200);
    const remove = (await t.collector.waitForEvent(
      (e) => isCommand(e) && e.data.action === 'remove_alias' && e.data.address === alias,
      'remove_alias',
    )) as Command;
    expect(remove.data).toMatchObject({ mailboxId: added.body.id, generation: 2 });
    expect((await mailboxState(agency.officialMailboxId)).aliases).toEqual([]);
  });

  it('when an alias reaches its end, then it leaves the directory, the mail server gets remove_alias and the state is published without it', async () => {
    const agency = await registerTestAgency();
    const alias = `tamthoi.${agency.abbreviation}@bacninh.gov.vn`;
    const added = await admin('POST', '/admin/aliases', {
      address: alias,
      mailboxId: agency.officialMailboxId,
      expiresAt: new Date(Date.now() + 2_000).toISOString(),
    });
    expect(added.status).toBe(201);
    const remove = (await t.collector.waitForEvent(
      (e) => isCommand(e) && e.data.action === 'remove_alias' && e.data.address === alias,
      'remove_alias at the alias end',
    )) as Command;
    expect(remove.data).toMatchObject({ mailboxId: added.body.id, generation: 2 });
    expect((await mailboxState(agency.officialMailboxId)).aliases).toEqual([]);
    const history = await mailboxHistory(agency.officialMailboxId);
    expect(history.find((h) => h.change === 'alias_expired')?.details).toMatchObject({ alias });
  });

  it('when an alias would take another agency’s own name or a reserved role address, then it is refused', async () => {
    const agency = await registerTestAgency();
    const other = await registerTestAgency({ mailboxName: `hop${randomLetters(6)}` });
    expect(
      (
        await admin('POST', '/admin/aliases', {
          address: `${other.abbreviation}@bacninh.gov.vn`,
          mailboxId: agency.officialMailboxId,
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await admin('POST', '/admin/aliases', {
          address: 'noc@bacninh.gov.vn',
          mailboxId: agency.officialMailboxId,
        })
      ).status,
    ).toBe(409);
  });
});

describe('group addresses', () => {
  it('when Đắk Nông groups are set up, then internal.<agency>@ and internal@ list the members from the tree and only the allowed senders', async () => {
    const agency = await registerTestAgency({ province: 'dak-nong' });
    const unit = await registerTestAgency({
      province: 'dak-nong',
      abbreviation: `u${randomLetters(6)}`,
      unitType: 'subunit',
      parentId: agency.agencyId,
    });
    const a = await createPerson(
      t.bus,
      t.collector,
      agency,
      { familyName: 'Hoàng', middleName: 'Văn', givenName: 'Tú' },
      'dak-nong',
    );
    const b = await createPerson(
      t.bus,
      t.collector,
      unit,
      { familyName: 'Đào', middleName: 'Thị', givenName: 'Lan' },
      'dak-nong',
    );
    await confirmCommand(t.bus, a);
    await confirmCommand(t.bus, b);
    await waitFor(async () => (await mailboxState(b.data.mailboxId)).state === 'active', {
      what: 'b active',
    });
    await waitFor(async () => (await mailboxState(a.data.mailboxId)).state === 'active', {
      what: 'a active',
    });

    const admins = [agency.officialMailbox];
    const created = await admin('POST', '/admin/groups', {
      province: 'dak-nong',
      kind: 'agency',
      agencyId: agency.agencyId,
      allowedSenders: admins,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      address: `internal.${agency.abbreviation}@daknong.gov.vn`,
      members: [a.data.address, b.data.address].sort(),
      allowedSenders: admins,
    });
    const command = (await t.collector.waitForEvent(
      (e) => isCommand(e) && e.data.mailboxId === created.body.id && e.data.action === 'set_alias',
      'group set_alias',
    )) as Command;
    expect(command.data).toMatchObject({
      address: `internal.${agency.abbreviation}@daknong.gov.vn`,
      aliasTargets: [a.data.address, b.data.address].sort(),
      allowedSenders: admins,
    });
    // The group's address is held back from everyone else.
    expect(
      (
        await admin('POST', '/admin/aliases', {
          address: `internal.${agency.abbreviation}@daknong.gov.vn`,
          mailboxId: agency.officialMailboxId,
        })
      ).status,
    ).toBe(409);

    // A member leaves: the next sync sends the new list.
    const suspend = itemApproved({
      province: 'dak-nong',
      agencyId: agency.agencyId,
      operation: 'suspend',
      mailboxType: 'personal',
      address: b.data.address,
    });
    await publish(t.bus, [suspend]);
    await waitFor(async () => (await mailboxState(b.data.mailboxId)).state === 'suspended', {
      what: 'b suspended',
    });
    const synced = await admin('POST', `/admin/groups/${created.body.id}/sync`);
    expect(synced.body).toMatchObject({ changed: true, members: [a.data.address], generation: 2 });

    // internal@daknong.gov.vn: one per province (made by an earlier run, or now).
    let province = await admin('POST', '/admin/groups', {
      province: 'dak-nong',
      kind: 'province',
      allowedSenders: admins,
    });
    if (province.status === 409) {
      const list = await admin('GET', '/admin/groups?province=dak-nong');
      const found = (list.body.items as { id: string; address: string }[]).find(
        (g) => g.address === 'internal@daknong.gov.vn',
      );
      province = await admin('POST', `/admin/groups/${found?.id}/sync`);
    }
    expect(province.body.address).toBe('internal@daknong.gov.vn');
    expect(province.body.members).toContain(a.data.address);
    expect(province.body.members).not.toContain(b.data.address);

    const senders = await admin('PUT', `/admin/groups/${created.body.id}/allowed-senders`, {
      allowedSenders: [],
    });
    expect(senders.body).toMatchObject({ allowedSenders: [], generation: 3 });
    const deleted = await admin('DELETE', `/admin/groups/${created.body.id}`);
    expect(deleted.status).toBe(200);
    await commandOf(created.body.id as string, 'remove_alias', 'group removed');
  });
});

describe('reserved and retired addresses', () => {
  it('when an operator reserves an address, then it is listed with the role addresses and never issued', async () => {
    const local = `r${randomLetters(8)}`;
    const res = await admin('POST', '/admin/reserved-addresses', {
      address: `${local}@bacninh.gov.vn`,
      reason: 'dành cho hệ thống',
    });
    expect(res.status).toBe(201);
    const list = await admin('GET', '/admin/reserved-addresses?domain=bacninh.gov.vn');
    const addresses = (list.body.items as { address: string }[]).map((r) => r.address);
    expect(addresses).toEqual(
      expect.arrayContaining([
        `${local}@bacninh.gov.vn`,
        'postmaster@bacninh.gov.vn',
        'abuse@bacninh.gov.vn',
        'noc@bacninh.gov.vn',
        'hostmaster@bacninh.gov.vn',
      ]),
    );
    const agency = await registerTestAgency();
    expect(
      (
        await admin('POST', '/admin/aliases', {
          address: `${local}@bacninh.gov.vn`,
          mailboxId: agency.officialMailboxId,
        })
      ).status,
    ).toBe(409);
    expect(
      (await admin('POST', '/admin/reserved-addresses', { address: 'x@example.org', reason: 'x' })).status,
    ).toBe(400);
    // A role address is reserved from people, not from operators: it may become a mailbox's alias.
    const role = await admin('POST', '/admin/aliases', {
      address: 'webmaster@bacninh.gov.vn',
      mailboxId: agency.officialMailboxId,
    });
    expect(role.status).toBe(201);
    expect((await admin('DELETE', '/admin/aliases/webmaster@bacninh.gov.vn')).status).toBe(200);
  });

  it('when a mailbox is deleted, then its address is held back for the configured period and a namesake gets the next form', async () => {
    const agency = await registerTestAgency();
    const person = { familyName: 'Bùi', middleName: 'Quang', givenName: 'Huy' };
    const first = await createPerson(t.bus, t.collector, agency, person);
    const remove = itemApproved({
      agencyId: agency.agencyId,
      operation: 'delete',
      mailboxType: 'personal',
      address: first.data.address,
    });
    await publish(t.bus, [remove]);
    await commandFor(t.collector, remove.data.itemId);
    const retired = await admin('GET', '/admin/retired-addresses?domain=bacninh.gov.vn');
    const held = (retired.body.items as { address: string; holdUntil: string }[]).find(
      (r) => r.address === first.data.address,
    );
    expect(held).toBeDefined();
    expect(Date.parse(held?.holdUntil as string) - Date.now()).toBeGreaterThan(364 * DAY_MS);
    const again = await createPerson(t.bus, t.collector, agency, { ...person, position: 'Chuyên viên' });
    expect(again.data.address).toBe(`bqhuy1.${agency.abbreviation}@bacninh.gov.vn`);
    expect(again.data.mailboxId).not.toBe(first.data.mailboxId);
  });
});

// Group addresses (admin): Đắk Nông's internal@<domain> reaches everyone in the province and
// internal.<agency>@ everyone in an agency and its units (Điều 5 khoản 1 điểm e). Members are
// derived from the tree; only the recorded allowed senders (administrators) may send to a group.
// Each sync that changes the members or senders sends a set_alias command carrying both.
import { createHash } from 'node:crypto';
import { getPolicy } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import { insertReservedAddresses } from '../../db/address-repository.ts';
import { findAgencyById } from '../../db/agency-repository.ts';
import {
  findGroup,
  insertGroupIfNew,
  listGroupMembers,
  lockActiveGroupIds,
  type MailGroup,
  updateGroup,
} from '../../db/group-repository.ts';
import { findLiveAgencyMailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db, DirectoryDeps } from '../deps.ts';
import { issueAddressCommand } from '../mailboxes/provisioning-commands.ts';
import { agencyPartForPerson, splitAddress } from '../mailboxes/naming-input.ts';

const DEFAULT_PREFIX = 'internal';

export interface CreateGroupInput {
  province: string;
  kind: 'province' | 'agency';
  agencyId?: string | undefined;
  allowedSenders: string[];
  actor: string;
}

export async function createGroup(deps: DirectoryDeps, input: CreateGroupInput) {
  const policy = getPolicy(input.province);
  const senders = normaliseSenders(input.allowedSenders);
  return deps.db.transaction().execute(async (trx) => {
    let local = policy.groupAddresses?.province ?? DEFAULT_PREFIX;
    let agencyId: string | null = null;
    if (input.kind === 'agency') {
      const agency = input.agencyId ? await findAgencyById(trx, input.agencyId) : null;
      if (!agency || agency.province !== policy.id) {
        throw new AppError(
          'validation_failed',
          { vi: 'Không có cơ quan này trong tỉnh', en: 'No such agency in this province' },
          { errors: [{ field: '/agencyId', message: { vi: 'Sai cơ quan', en: 'unknown agency' } }] },
        );
      }
      const official = await findLiveAgencyMailbox(trx, agency.id);
      const prefix = policy.groupAddresses?.agencyPrefix ?? DEFAULT_PREFIX;
      local = `${prefix}.${agencyPartForPerson(agency, official?.localPart ?? null)}`;
      agencyId = agency.id;
    }
    const at = deps.clock.now();
    const address = `${local}@${policy.domain}`;
    // Mailboxes and aliases must not hold it; the reserved list may (internal@ is reserved for this).
    const held = await trx
      .selectFrom('mailboxes')
      .select('id')
      .where('address', '=', address)
      .where('state', '<>', 'deleted')
      .unionAll(trx.selectFrom('aliases').select('mailbox_id as id').where('address', '=', address))
      .execute();
    if (held.length > 0) {
      throw new AppError('conflict', {
        vi: `Địa chỉ ${address} đã được dùng`,
        en: `${address} is already in use`,
      });
    }
    const id = deps.newId();
    const inserted = await insertGroupIfNew(
      trx,
      {
        id,
        address,
        localPart: local,
        domain: policy.domain,
        province: policy.id,
        kind: input.kind,
        agencyId,
        allowedSenders: senders,
      },
      at,
    );
    if (!inserted) {
      throw new AppError('conflict', { vi: `Nhóm ${address} đã có`, en: `The group ${address} exists` });
    }
    await insertReservedAddresses(trx, policy.domain, [{ localPart: local, reason: 'group address' }]);
    const group = await findGroup(trx, id, { forUpdate: true });
    if (!group) throw new Error('group vanished');
    const synced = await syncGroup(trx, deps.newId, group, adminContext(at, input.actor));
    return describeGroup(group, synced.members, synced.generation);
  });
}

export async function changeGroupSenders(
  deps: DirectoryDeps,
  input: { groupId: string; allowedSenders: string[]; actor: string },
) {
  const senders = normaliseSenders(input.allowedSenders);
  return deps.db.transaction().execute(async (trx) => {
    const group = await findGroup(trx, input.groupId, { forUpdate: true });
    if (group?.state !== 'active') throw notFound();
    const at = deps.clock.now();
    await updateGroup(trx, group.id, { allowedSenders: senders }, at);
    const updated = { ...group, allowedSenders: senders };
    const synced = await syncGroup(trx, deps.newId, updated, adminContext(at, input.actor));
    return describeGroup(updated, synced.members, synced.generation);
  });
}

export async function deleteGroup(deps: DirectoryDeps, input: { groupId: string; actor: string }) {
  return deps.db.transaction().execute(async (trx) => {
    const group = await findGroup(trx, input.groupId, { forUpdate: true });
    if (group?.state !== 'active') throw notFound();
    const at = deps.clock.now();
    const generation = group.generation + 1;
    await updateGroup(trx, group.id, { state: 'deleted', generation }, at);
    await issueAddressCommand(
      trx,
      deps.newId,
      'group',
      { id: group.id, generation, action: 'remove_alias', address: group.address, domain: group.domain },
      adminContext(at, input.actor),
    );
    return { id: group.id, address: group.address, deleted: true };
  });
}

export async function describeGroupById(deps: Pick<DirectoryDeps, 'db'>, input: { id: string }) {
  const group = await findGroup(deps.db, input.id);
  if (group?.state !== 'active') throw notFound();
  return describeGroup(group, await listGroupMembers(deps.db, group), group.generation);
}

/** One pass of the background sync: every group whose members changed gets a new command. */
export async function syncAllGroups(deps: DirectoryDeps): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    let changed = 0;
    for (const id of await lockActiveGroupIds(trx, 500)) {
      const group = await findGroup(trx, id);
      if (!group) continue;
      const ctx = adminContext(deps.clock.now(), 'directory');
      if ((await syncGroup(trx, deps.newId, group, ctx)).changed) changed++;
    }
    return changed;
  });
}

export async function syncGroupById(deps: DirectoryDeps, id: string, actor: string) {
  return deps.db.transaction().execute(async (trx) => {
    const group = await findGroup(trx, id, { forUpdate: true });
    if (group?.state !== 'active') throw notFound();
    const synced = await syncGroup(trx, deps.newId, group, adminContext(deps.clock.now(), actor));
    return { ...describeGroup(group, synced.members, synced.generation), changed: synced.changed };
  });
}

async function syncGroup(db: Db, newId: () => string, group: MailGroup, ctx: ChangeContext) {
  const members = await listGroupMembers(db, group);
  const hash = createHash('sha256')
    .update(JSON.stringify({ members, senders: group.allowedSenders }))
    .digest('hex');
  if (hash === group.membersHash) return { changed: false, members, generation: group.generation };
  const generation = group.generation + 1;
  await updateGroup(db, group.id, { membersHash: hash, generation }, ctx.at);
  await issueAddressCommand(
    db,
    newId,
    'group',
    {
      id: group.id,
      generation,
      // A group without members has no alias row: mail to it is refused like any unknown address.
      action: members.length > 0 ? 'set_alias' : 'remove_alias',
      address: group.address,
      domain: group.domain,
      ...(members.length > 0 ? { aliasTargets: members, allowedSenders: group.allowedSenders } : {}),
    },
    ctx,
  );
  return { changed: true, members, generation };
}

function describeGroup(group: MailGroup, members: string[], generation: number) {
  return {
    id: group.id,
    address: group.address,
    province: group.province,
    kind: group.kind,
    agencyId: group.agencyId,
    allowedSenders: group.allowedSenders,
    members,
    generation,
  };
}

function normaliseSenders(list: string[]): string[] {
  const out = new Set<string>();
  for (const entry of list) {
    const parts = splitAddress(entry);
    if (!parts) {
      throw new AppError(
        'validation_failed',
        { vi: `Địa chỉ gửi không hợp lệ: ${entry}`, en: `Invalid sender address: ${entry}` },
        { errors: [{ field: '/allowedSenders', message: { vi: 'Sai địa chỉ', en: 'invalid address' } }] },
      );
    }
    out.add(`${parts.localPart}@${parts.domain}`);
  }
  return [...out].sort();
}

function notFound(): AppError {
  return new AppError('not_found', { vi: 'Không có nhóm này', en: 'No such group' });
}

function adminContext(at: Date, actor: string): ChangeContext {
  return { at, actor, requestId: null, itemId: null, reason: null };
}

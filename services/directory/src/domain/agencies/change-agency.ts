// Renaming an agency (new name and/or abbreviation) or moving it under another parent (admin),
// effective-dated: the current agency_versions row is closed and a new one opened. Addresses follow
// the tree: the official mailboxes of the agency and its units are re-derived by the unit rule
// (a name chosen outside the rule is kept), and where the personal rule carries the agency part
// (every province but Khánh Hòa) its people's addresses move with it, name part and number kept
// (tvanh1.stttt → tvanh1.snv). Each move keeps the old address as a transition alias and sends a
// `rename` command (see change-address.ts). One transaction: all of it, or nothing.
import { foldToAscii, getPolicy, isValidLocalPart } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import { findTakenLocalParts } from '../../db/address-repository.ts';
import {
  type Agency,
  changeAgencyVersion,
  findAgencyByAbbreviation,
  findAgencyById,
  findAgencyForUpdate,
  findAgencyLineage,
  findDescendantIds,
} from '../../db/agency-repository.ts';
import {
  findLiveAgencyMailbox,
  listLiveMailboxesOfAgencies,
  type Mailbox,
} from '../../db/mailbox-repository.ts';
import { findPersonById } from '../../db/person-repository.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import { foldForSearch } from '../directory/text.ts';
import { changeMailboxAddress } from '../mailboxes/change-address.ts';
import { publishAgencyState } from '../mailboxes/mailbox-events.ts';
import { agencyPartForPerson, personalNamingInput, unitNamingInput } from '../mailboxes/naming-input.ts';
import { pickAddress, ruleCandidates } from '../mailboxes/pick-address.ts';

export interface ChangeAgencyInput {
  agencyId: string;
  name?: string | undefined;
  abbreviation?: string | undefined;
  /** A new parent; null makes it a top-level agency; absent keeps the parent. */
  parentId?: string | null | undefined;
  /** A chosen local part for the agency's own mailbox (wins over the rule). */
  mailboxName?: string | undefined;
  /** When the change takes effect; not in the future (default: now). */
  effectiveFrom?: string | undefined;
  reason?: string | undefined;
  actor: string;
}

const ABBREVIATION = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

interface Before {
  agency: Agency;
  official: Mailbox | null;
  /** The official mailbox's address is the rule's own (not a name chosen outside it). */
  conforming: boolean;
  personalPart: string;
  depth: number;
}

export async function changeAgency(deps: DirectoryDeps, input: ChangeAgencyInput) {
  return deps.db.transaction().execute(async (trx) => {
    const agency = await findAgencyForUpdate(trx, input.agencyId);
    if (!agency) throw new AppError('not_found', { vi: 'Không có cơ quan này', en: 'No such agency' });
    const policy = getPolicy(agency.province);
    const at = deps.clock.now();
    const validFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : at;
    if (Number.isNaN(validFrom.getTime()) || validFrom > at || validFrom < agency.validFrom) {
      throw bad(
        '/effectiveFrom',
        'Ngày hiệu lực không được ở tương lai hay trước phiên bản hiện tại',
        'effectiveFrom must not be in the future nor before the current version',
      );
    }
    const abbreviation =
      input.abbreviation !== undefined ? foldToAscii(input.abbreviation).trim() : agency.abbreviation;
    if (!ABBREVIATION.test(abbreviation) || abbreviation.length > 32) {
      throw bad(
        '/abbreviation',
        'Tên viết tắt chỉ gồm chữ, số và dấu gạch ngang',
        'The abbreviation is letters, digits and hyphens',
      );
    }
    if (abbreviation !== agency.abbreviation) {
      const holder = await findAgencyByAbbreviation(trx, policy.id, abbreviation);
      if (holder)
        throw new AppError('conflict', {
          vi: `Tên viết tắt ${abbreviation} đã được dùng`,
          en: `The abbreviation ${abbreviation} is taken`,
        });
    }
    const subtree = [agency.id, ...(await findDescendantIds(trx, agency.id))];
    const parentId = input.parentId === undefined ? agency.parentId : input.parentId;
    if (parentId !== null && parentId !== agency.parentId) {
      const parent = await findAgencyById(trx, parentId);
      if (!parent || parent.province !== policy.id)
        throw bad(
          '/parentId',
          'Không có cơ quan cấp trên này trong tỉnh',
          'No such parent agency in this province',
        );
      if (subtree.includes(parent.id))
        throw bad(
          '/parentId',
          'Không thể đặt dưới chính nó hay đơn vị trực thuộc',
          'An agency cannot be moved under itself or its own units',
        );
    }
    const name = input.name !== undefined ? input.name.normalize('NFC').trim() : agency.name;
    if (name === '') throw bad('/name', 'Thiếu tên', 'The name is empty');
    if (input.mailboxName !== undefined && !isValidLocalPart(input.mailboxName)) {
      throw bad('/mailboxName', 'Tên hộp thư không hợp lệ', 'Invalid mailbox name');
    }

    // Top-down (parents first), with what each unit's addresses were derived from before.
    const before: Before[] = [];
    for (const id of subtree) {
      const lineage = await findAgencyLineage(trx, id);
      const self = lineage[0] as Agency;
      const official = await findLiveAgencyMailbox(trx, id);
      let conforming = false;
      if (official) {
        try {
          conforming = ruleCandidates(policy, unitNamingInput(lineage)).includes(official.localPart);
        } catch {
          conforming = false;
        }
      }
      before.push({
        agency: self,
        official,
        conforming,
        personalPart: agencyPartForPerson(self, official?.localPart ?? null),
        depth: lineage.length,
      });
    }
    before.sort((a, b) => a.depth - b.depth);

    await changeAgencyVersion(
      trx,
      agency.id,
      {
        name,
        foldedName: foldForSearch(name),
        abbreviation,
        parentId,
        validFrom,
        reason: input.reason ?? null,
        actor: input.actor,
      },
      at,
    );

    const ctx: ChangeContext = {
      at,
      actor: input.actor,
      requestId: null,
      itemId: null,
      reason: input.reason ?? null,
    };
    const moves = { renameAliasDays: deps.renameAliasDays, retiredHoldDays: deps.retiredHoldDays };
    const changed: { mailboxId: string; from: string; to: string }[] = [];
    const details = { agencyId: agency.id, abbreviation: { from: agency.abbreviation, to: abbreviation } };

    for (const unit of before) {
      const lineage = await findAgencyLineage(trx, unit.agency.id);
      const self = lineage[0] as Agency;
      let officialLocal = unit.official?.localPart ?? null;
      const chosen = self.id === agency.id ? input.mailboxName : undefined;
      if (unit.official && (unit.conforming || chosen)) {
        const target = ruleCandidates(policy, unitNamingInput(lineage, chosen))[0];
        if (target && target !== unit.official.localPart) {
          const taken = await findTakenLocalParts(trx, policy.domain, [target], at, {
            exceptAgencyId: self.id,
          });
          if (taken.has(target)) {
            throw new AppError('conflict', {
              vi: `Địa chỉ mới của hộp thư cơ quan ${target}@${policy.domain} đã được dùng; hãy chọn mailboxName`,
              en: `The agency mailbox's new address ${target}@${policy.domain} is taken; give mailboxName`,
            });
          }
          const moved = await changeMailboxAddress(trx, deps.newId, {
            mailbox: unit.official,
            newLocal: target,
            why: 'agency_renamed',
            details,
            ctx,
            ...moves,
          });
          if (!moved) throw new Error(`address ${target} taken concurrently`);
          changed.push({ mailboxId: moved.id, from: unit.official.address, to: moved.address });
          officialLocal = target;
        }
      }
      const personalPart = agencyPartForPerson(self, officialLocal);
      if (!policy.personal.agencyPart || personalPart === unit.personalPart) continue;
      const people = (await listLiveMailboxesOfAgencies(trx, [self.id])).filter((m) => m.type === 'personal');
      for (const mailbox of people) {
        const suffix = `.${unit.personalPart}`;
        if (!mailbox.localPart.endsWith(suffix)) continue; // an address made outside the rule stays
        let local: string | null = `${mailbox.localPart.slice(0, -suffix.length)}.${personalPart}`;
        if (
          !isValidLocalPart(local) ||
          (await findTakenLocalParts(trx, policy.domain, [local], at)).has(local)
        ) {
          const person = mailbox.personId ? await findPersonById(trx, mailbox.personId) : null;
          if (!person) continue;
          const picked = await pickAddress(trx, {
            policy,
            input: personalNamingInput(person, personalPart),
            at,
          });
          local =
            picked.outcome === 'local'
              ? picked.local
              : picked.outcome === 'operator'
                ? (picked.candidates[0]?.split('@')[0] ?? null)
                : null;
        }
        if (local === null) continue;
        const moved = await changeMailboxAddress(trx, deps.newId, {
          mailbox,
          newLocal: local,
          why: 'agency_renamed',
          details,
          ctx,
          ...moves,
        });
        if (!moved) throw new Error(`address ${local} taken concurrently`);
        changed.push({ mailboxId: moved.id, from: mailbox.address, to: moved.address });
      }
    }
    for (const unit of before) await publishAgencyState(trx, unit.agency.id, ctx);
    return { agencyId: agency.id, name, abbreviation, parentId, validFrom: validFrom.toISOString(), changed };
  });
}

function bad(field: string, vi: string, en: string): AppError {
  return new AppError('validation_failed', { vi, en }, { errors: [{ field, message: { vi, en } }] });
}

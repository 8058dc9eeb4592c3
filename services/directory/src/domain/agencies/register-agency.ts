// Registers an agency (admin). A taken abbreviation is refused (409 naming the agency that holds
// it, with free ones proposed by the province's rule); only a retry, the same unit code or the same
// Idempotency-Key, answers the existing agency (200). A new agency gets its official mailbox in the
// same transaction, with the create command and both state events.
import { foldToAscii, getPolicy, isNamingError, UNIT_TYPES, type UnitType } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import {
  type Agency,
  findAgencyById,
  findAgencyByAbbreviation,
  insertAgencyIfNew,
  takenAbbreviations,
} from '../../db/agency-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { foldForSearch } from '../directory/text.ts';
import { createOfficialMailbox } from './create-official-mailbox.ts';
import { abbreviationCandidates, proposeAbbreviations } from './propose-abbreviation.ts';

export interface RegisterAgencyInput {
  province: string;
  name: string;
  abbreviation: string;
  unitType: string;
  parentId?: string | undefined;
  unitCode?: string | undefined;
  mailboxName?: string | undefined;
  officialMailboxPasswordHash?: string | undefined;
  /** The request's Idempotency-Key: registering again with it answers the agency it created. */
  idempotencyKey?: string | undefined;
  actor: string;
}

export interface RegisterAgencyResult {
  created: boolean;
  agencyId: string;
  officialMailbox: string | null;
  officialMailboxId: string | null;
}

const ABBREVIATION = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export async function registerAgency(
  deps: DirectoryDeps,
  input: RegisterAgencyInput,
): Promise<RegisterAgencyResult> {
  const policy = policyOf(input.province);
  const abbreviation = foldToAscii(input.abbreviation).trim();
  if (!ABBREVIATION.test(abbreviation) || abbreviation.length > 32) {
    throw badField('/abbreviation', {
      vi: 'Tên viết tắt chỉ gồm chữ, số và dấu gạch ngang (tối đa 32 ký tự), ví dụ stttt',
      en: 'The abbreviation is letters, digits and hyphens (at most 32), e.g. stttt',
    });
  }
  if (!UNIT_TYPES.includes(input.unitType as UnitType)) {
    throw badField('/unitType', {
      vi: `Loại đơn vị phải là một trong: ${UNIT_TYPES.join(', ')}`,
      en: `unitType must be one of: ${UNIT_TYPES.join(', ')}`,
    });
  }
  const name = input.name.normalize('NFC').trim();

  return deps.db.transaction().execute(async (trx) => {
    const parent = input.parentId ? await findAgencyById(trx, input.parentId) : null;
    const holderOf = async (holder: Agency) => {
      if (isRetry(holder, input)) return describe(trx, holder, false);
      const wanted = {
        name,
        unitType: input.unitType as UnitType,
        abbreviation,
        parentAbbreviation: parent?.abbreviation,
      };
      const proposals = proposeAbbreviations(
        wanted,
        await takenAbbreviations(trx, policy.id, abbreviationCandidates(wanted)),
      );
      throw abbreviationTaken(abbreviation, holder, proposals, policy.units.article);
    };
    const existing = await findAgencyByAbbreviation(trx, policy.id, abbreviation);
    if (existing) return holderOf(existing);
    if (input.parentId && (!parent || parent.province !== policy.id || parent.dissolvedAt)) {
      throw badField('/parentId', {
        vi: 'Không có cơ quan cấp trên này trong tỉnh',
        en: 'No such parent agency in this province',
      });
    }
    const at = deps.clock.now();
    const id = deps.newId();
    const inserted = await insertAgencyIfNew(trx, {
      id,
      province: policy.id,
      domain: policy.domain,
      name,
      foldedName: foldForSearch(name),
      abbreviation,
      unitType: input.unitType,
      parentId: input.parentId ?? null,
      unitCode: input.unitCode ?? null,
      validFrom: at,
      registrationKey: input.idempotencyKey ?? null,
    });
    if (!inserted) {
      const raced = await findAgencyByAbbreviation(trx, policy.id, abbreviation);
      if (raced) return holderOf(raced);
      throw new Error('agency insert refused without a holder');
    }
    const outcome = await createOfficialMailbox(
      { ...deps, db: trx },
      {
        agencyId: id,
        passwordHash: input.officialMailboxPasswordHash,
        mailboxName: input.mailboxName,
        ctx: { at, actor: input.actor, requestId: null, itemId: null, reason: 'agency registered' },
      },
    );
    if (outcome.outcome === 'operator') {
      throw new AppError(
        'conflict',
        {
          vi: `Địa chỉ hộp thư cơ quan đã được dùng; hãy chọn mailboxName, ví dụ: ${outcome.candidates.join(', ')}`,
          en: `The agency mailbox address is taken; give mailboxName, e.g.: ${outcome.candidates.join(', ')}`,
        },
        {
          errors: [
            {
              field: '/mailboxName',
              message: { vi: 'Chọn tên hộp thư khác', en: 'choose another mailbox name' },
            },
          ],
        },
      );
    }
    if (outcome.outcome === 'error') throw badField('/abbreviation', outcome.message);
    return {
      created: true,
      agencyId: id,
      officialMailbox: outcome.mailbox.address,
      officialMailboxId: outcome.mailbox.id,
    };
  });
}

async function describe(
  db: DirectoryDeps['db'],
  agency: Agency,
  created: boolean,
): Promise<RegisterAgencyResult> {
  const mailbox = agency.officialMailboxId ? await findMailboxById(db, agency.officialMailboxId) : null;
  return {
    created,
    agencyId: agency.id,
    officialMailbox: mailbox?.address ?? null,
    officialMailboxId: mailbox?.id ?? null,
  };
}

/** The same registration again: the same unit code, or the same Idempotency-Key. */
function isRetry(holder: Agency, input: RegisterAgencyInput): boolean {
  if (input.unitCode != null && holder.unitCode === input.unitCode) return true;
  return input.idempotencyKey != null && holder.registrationKey === input.idempotencyKey;
}

function abbreviationTaken(
  abbreviation: string,
  holder: Agency,
  proposals: string[],
  article: string,
): AppError {
  const offer = proposals.length > 0 ? proposals.join(', ') : '—';
  const message = {
    vi: `Tên viết tắt ${abbreviation} đã thuộc ${holder.name} (${holder.id}); đề nghị dùng: ${offer} (${article})`,
    en: `The abbreviation ${abbreviation} is held by ${holder.name} (${holder.id}); free ones: ${offer} (${article})`,
  };
  return new AppError('conflict', message, {
    errors: [{ field: '/abbreviation', message }],
    extensions: {
      holder: { agencyId: holder.id, name: holder.name, abbreviation: holder.abbreviation },
      proposedAbbreviations: proposals,
      article,
    },
  });
}

function policyOf(province: string) {
  try {
    return getPolicy(province);
  } catch (error) {
    if (isNamingError(error)) throw badField('/province', error.messages);
    throw error;
  }
}

function badField(field: string, message: { vi: string; en: string }): AppError {
  return new AppError('validation_failed', message, { errors: [{ field, message }] });
}

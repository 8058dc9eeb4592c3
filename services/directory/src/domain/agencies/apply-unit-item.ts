// An approved item about a unit itself (Mẫu 02 / Mẫu 03 for the agency, filed through the agency
// API or by an operator): `rename_unit` renames it (its addresses follow the tree, as an
// operator's rename), `dissolve_unit` dissolves it and deletes its mailboxes. Settled in the
// directory: the item is answered `applied` with the unit's own mailbox, or `failed` with why.
import { isAppError } from '@hopthu/shared/errors';
import { underSavepoint } from '../../db/agency-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from '../items/item-outcome.ts';
import { changeAgencyIn } from './change-agency.ts';
import { dissolveAgencyIn } from './dissolve-agency.ts';

export async function applyUnitItem(deps: ItemDeps, input: OperationInput): Promise<ItemOutcome> {
  try {
    // a refusal leaves nothing of the change behind, but the consumer's transaction goes on
    return await underSavepoint(deps.db, () => applyUnit(deps, input));
  } catch (error) {
    // a refusal the agency can act on (a taken abbreviation, units still below) fails the item
    if (isAppError(error)) return { outcome: 'failed', reason: error.text };
    throw error;
  }
}

async function applyUnit(deps: ItemDeps, { item, agency, ctx }: OperationInput): Promise<ItemOutcome> {
  if (item.operation === 'dissolve_unit') {
    const reason = ctx.reason ?? 'Giải thể đơn vị';
    const result = await dissolveAgencyIn(deps, { agencyId: agency.id, ctx: { ...ctx, reason } });
    return { outcome: 'applied', mailbox: result.official };
  }
  const unit = (item.changes ?? {}) as { name?: string; abbreviation?: string };
  await changeAgencyIn(
    { ...deps, clock: { now: () => ctx.at } },
    {
      agencyId: agency.id,
      name: unit.name,
      abbreviation: unit.abbreviation,
      reason: ctx.reason ?? undefined,
      actor: ctx.actor,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
    },
  );
  const after = agency.officialMailboxId ? await findMailboxById(deps.db, agency.officialMailboxId) : null;
  return { outcome: 'applied', mailbox: after };
}

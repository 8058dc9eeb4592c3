// An item whose address the province leaves to an operator (a collision) waits in
// pending_decisions with the candidates; the operator's choice applies it again (decide-address.ts).
import { insertPendingDecision } from '../../db/decision-repository.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from './item-outcome.ts';

export async function awaitOperator(
  deps: Pick<ItemDeps, 'db' | 'newId'>,
  input: Pick<OperationInput, 'item' | 'ctx'> & { province: string; candidates: string[]; reason: string },
): Promise<ItemOutcome> {
  const { item, ctx } = input;
  await insertPendingDecision(
    deps.db,
    {
      id: deps.newId(),
      itemId: item.itemId,
      requestId: item.requestId,
      agencyId: item.agencyId,
      province: input.province,
      item,
      candidates: input.candidates,
      reason: input.reason,
      correlationId: ctx.correlationId ?? null,
    },
    ctx.at,
  );
  return { outcome: 'pending_decision', candidates: input.candidates };
}

// What the approval use cases need, and the checks they share.
import type { Clock } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import type { ItemRow } from '../../db/approval-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { DataKeys } from '../secrets.ts';

export interface ApprovalDeps {
  db: Kysely<Database>;
  clock: Clock;
  dataKey: DataKeys;
  credentialTtlHours: number;
  publicUrl: string;
}

export interface Decision {
  requestId: string;
  itemId: string;
  /** Who decides: the operator's account name, recorded on every transition. */
  operator: string;
  reason?: string | undefined;
}

export const operatorActor = (operator: string) => `operator:${operator}`;

export function itemNotFound() {
  return new AppError('not_found', { vi: 'Không tìm thấy mục yêu cầu', en: 'Request item not found' });
}

export function assertWaiting(item: ItemRow) {
  if (item.status !== 'pending_approval') {
    throw new AppError('conflict', {
      vi: `Mục yêu cầu không chờ phê duyệt (trạng thái: ${item.status})`,
      en: `The item is not waiting for approval (status: ${item.status})`,
    });
  }
}

// Two different operators approve a reorganisation before it may be applied; each approval keeps
// who and why. The same operator approving twice never counts as two (409), nor does approving a
// plan whose dry run still has conflicts, one already being applied, or a cancelled one.
import { AppError } from '@hopthu/shared/errors';
import {
  findReorganisation,
  insertApproval,
  listApprovals,
  updateReorganisation,
} from '../../db/reorganisation-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { findReorganisationOr404, reorganisationView } from './dry-run-reorganisation.ts';

export const APPROVALS_NEEDED = 2;

export async function approveReorganisation(
  deps: DirectoryDeps,
  input: { id: string; operator: string; reason: string },
) {
  await findReorganisationOr404(deps, input.id);
  await deps.db.transaction().execute(async (trx) => {
    const row = await findReorganisation(trx, input.id, { forUpdate: true });
    if (!row)
      throw new AppError('not_found', { vi: 'Không có kế hoạch sắp xếp này', en: 'No such reorganisation' });
    if (row.state === 'cancelled') {
      throw new AppError('conflict', {
        vi: 'Kế hoạch đã bị hủy, không thể phê duyệt',
        en: 'The reorganisation is cancelled and cannot be approved',
      });
    }
    if (row.state === 'applying' || row.state === 'applied') {
      throw new AppError('conflict', {
        vi: 'Kế hoạch đã được thực hiện, không cần phê duyệt nữa',
        en: 'The reorganisation is already being applied or applied',
      });
    }
    if (row.conflictCount > 0) {
      throw new AppError('conflict', {
        vi: `Bản chạy thử còn ${row.conflictCount} xung đột: sửa kế hoạch rồi chạy thử lại`,
        en: `The dry run has ${row.conflictCount} conflicts: fix the plan and run it again`,
      });
    }
    const inserted = await insertApproval(trx, {
      reorganisationId: row.id,
      operator: input.operator,
      reason: input.reason,
      at: deps.clock.now(),
    });
    if (!inserted) {
      throw new AppError('conflict', {
        vi: `${input.operator} đã phê duyệt kế hoạch này; cần một cán bộ vận hành khác`,
        en: `${input.operator} already approved this reorganisation; a different operator must approve`,
      });
    }
    const approvals = await listApprovals(trx, row.id);
    if (approvals.length >= APPROVALS_NEEDED && row.state === 'computed') {
      await updateReorganisation(trx, row.id, { state: 'approved' });
    }
  });
  deps.logger.info({ reorganisationId: input.id, operator: input.operator }, 'reorganisation approved');
  return reorganisationView(deps, input.id);
}

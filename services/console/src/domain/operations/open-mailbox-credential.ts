// The new password of a mailbox whose reset an operator filed (a report by phone: Khánh Hòa 4.2,
// Đắk Nông 12.3) is opened once, by an operator, to be read out to its holder: the requests
// service hands it out and erases it in one transaction, so a second opening finds it gone. The
// audit chain records who opened it (never the password).
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export type OpenCredentialResult =
  | { outcome: 'opened'; address: string; password: string }
  | { outcome: 'not_ready' | 'gone' | 'refused'; message: string };

export async function openMailboxCredential(
  deps: ConsoleDeps,
  input: { requestId: string; itemId: string; operator: SessionRecord; clientIp: string },
): Promise<OpenCredentialResult> {
  const answer = await deps.upstreams.requests.post<{
    address?: string;
    password?: string;
    message?: { vi?: string };
  }>(
    `/admin/operator-requests/${input.requestId}/items/${input.itemId}/credential`,
    {},
    {
      name: input.operator.username,
      role: input.operator.role,
    },
  );
  const result: OpenCredentialResult =
    answer.status === 200 && answer.body?.password && answer.body.address
      ? { outcome: 'opened', address: answer.body.address, password: answer.body.password }
      : answer.status === 410
        ? { outcome: 'gone', message: 'Mật khẩu mới đã được mở một lần hoặc đã hết hạn; không xem lại được.' }
        : answer.status === 404
          ? {
              outcome: 'not_ready',
              message:
                'Chưa mở được: yêu cầu chưa hoàn tất (còn chờ phê duyệt hoặc đang thực hiện), hoặc không phải yêu cầu do cán bộ vận hành gửi.',
            }
          : { outcome: 'refused', message: answer.body?.message?.vi ?? `HTTP ${answer.status}` };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: 'mailbox.credential_open',
    target: input.itemId,
    outcome: result.outcome === 'opened' ? 'ok' : 'refused',
    details: {
      requestId: input.requestId,
      ...(result.outcome === 'opened' ? { address: result.address } : { why: result.outcome }),
    },
    clientIp: input.clientIp,
  });
  return result;
}

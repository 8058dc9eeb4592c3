// The page of a deleted mailbox: while its mail is still in retention (before its province's purge
// day, retention.deletedMailDays, counted from the delete in its history) the operator may give it
// back, "Khôi phục từ lưu trữ", with a reason: filed as a `restore_deleted` request on the same path
// as the other mailbox actions (act-on-mailbox.ts), its new password opened once when it is done.
// After the purge day the page says the mail is gone.
import { randomUUID } from 'node:crypto';
import { addDays, deletedMailWindow } from '@hopthu/naming';
import { can } from '../domain/auth/permissions.ts';
import type { SessionRecord } from '../db/session-repository.ts';
import { html, type SafeHtml } from './html.ts';

const vnDay = (day: string) => day.split('-').reverse().join('/');

export function restoreDeletedForm(input: {
  mailboxId: string;
  address: string;
  /** The mailbox's history, newest or oldest first: the last `deleted` entry dates the delete. */
  history: readonly { at: string; change: string }[];
  session: SessionRecord & { role: string };
  now: Date;
}): SafeHtml {
  const deletes = input.history.filter((h) => h.change === 'deleted').map((h) => h.at);
  const deletedAt = deletes.sort().at(-1);
  if (!deletedAt) return html`<p class="muted">Hộp thư đã xóa; lịch sử không ghi ngày xóa.</p>`;
  const window = deletedMailWindow(input.address, new Date(deletedAt), input.now);
  if (!window.held) {
    return html`<p class="notice error">Thư của hộp thư này đã hết thời hạn lưu trữ và bị xóa hẳn từ ngày ${vnDay(window.purgeOn)}; không khôi phục được.</p>`;
  }
  const until = html`Thư được giữ trong lưu trữ đến hết ngày ${vnDay(addDays(window.purgeOn, -1))}`;
  if (!can(input.session.role, 'mailboxes.act'))
    return html`<p class="muted">${until}. Vai trò của bạn chỉ được xem hộp thư này.</p>`;
  return html`<form method="post" action="/directory/mailboxes/${input.mailboxId}/actions" class="mailbox-actions restore-deleted">
<input type="hidden" name="_csrf" value="${input.session.csrfToken}">
<input type="hidden" name="idempotencyKey" value="${randomUUID()}">
<input type="hidden" name="action" value="restore_deleted">
<fieldset><legend>Khôi phục từ lưu trữ</legend>
<p>${until} (xóa ngày ${vnDay(window.deletedOn)}; xóa hẳn ngày ${vnDay(window.purgeOn)}). Khôi phục đưa hộp thư về đúng địa chỉ cũ với thư cũ, cấp mật khẩu mới hiện một lần cho cán bộ.</p>
<label for="reason">Lý do (bắt buộc)</label>
<textarea id="reason" name="reason" required maxlength="1000"></textarea>
<button type="submit">Khôi phục từ lưu trữ</button></fieldset></form>`;
}

// Live progress without JavaScript, shared by the pages that follow a long operation (a
// reorganisation's apply, an import): a progress bar with its counts, and a head that makes the
// page reload itself while the operation runs.
import { html, type SafeHtml, time, trusted } from './html.ts';

/** `<meta http-equiv="refresh">`: the page reloads itself every few seconds (no script needed). */
export const AUTO_REFRESH: SafeHtml = trusted('<meta http-equiv="refresh" content="3">');

/** The page head while `running`: the reload above, otherwise nothing. */
export const refreshWhile = (running: boolean): { head?: SafeHtml } =>
  running ? { head: AUTO_REFRESH } : {};

/** `done` of `total` with a bar, the percentage, what is counted and when it started and ended. */
export function progressBar(p: {
  done: number;
  total: number;
  /** What is counted, after the numbers: "hộp thư đã đổi địa chỉ". */
  what: string;
  startedAt?: string | null;
  finishedAt?: string | null;
}): SafeHtml {
  const percent = p.total === 0 ? 100 : Math.min(100, Math.floor((p.done / p.total) * 100));
  return html`<p data-progress="${p.done}/${p.total}"><progress max="${p.total || 1}" value="${p.done}" aria-label="Tiến độ">${percent}%</progress>
 <strong>${p.done}</strong> / ${p.total} ${p.what} (${percent}%)${
   p.startedAt ? html` · bắt đầu ${time(p.startedAt)}` : ''
 }${p.finishedAt ? html` · xong ${time(p.finishedAt)}` : ''}</p>`;
}

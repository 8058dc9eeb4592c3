// What every list page of the console shares: a page of rows with how many there are in all and
// links to the pages around it (so a long queue never silently stops), and the same rows as a CSV
// file an operator opens in Excel.
import type { FastifyReply } from 'fastify';
import { html, type SafeHtml } from './html.ts';

export const PAGE_SIZE = 50;
export const CSV_LIMIT = 1000;

/** The page asked for in the query string (`trang`, from 1), as an offset. */
export function offsetOf(query: { trang?: string | undefined }, size = PAGE_SIZE): number {
  const page = Number(query.trang ?? '1');
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? (page - 1) * size : 0;
}

/** A query string with one value changed; empty values are left out. */
function withQuery(path: string, query: Record<string, string | undefined>, change: Record<string, string>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...change })) {
    if (v !== undefined && v !== '' && k !== 'notice') params.set(k, v);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * "Hiển thị 51–100 trong 523" with the previous and next pages and the CSV download of the same
 * filter. Shown above and below a list.
 */
export function pager(p: {
  path: string;
  query: Record<string, string | undefined>;
  offset: number;
  shown: number;
  total: number;
  size?: number;
  csvPath?: string;
}): SafeHtml {
  const size = p.size ?? PAGE_SIZE;
  const page = Math.floor(p.offset / size) + 1;
  const pages = Math.max(1, Math.ceil(p.total / size));
  const from = p.shown === 0 ? 0 : p.offset + 1;
  const to = p.offset + p.shown;
  const prev =
    page > 1
      ? html`<a rel="prev" href="${withQuery(p.path, p.query, { trang: String(page - 1) })}">← Trang trước</a>`
      : '';
  const next =
    page < pages
      ? html`<a rel="next" href="${withQuery(p.path, p.query, { trang: String(page + 1) })}">Trang sau →</a>`
      : '';
  const csv = p.csvPath
    ? html`<a href="${withQuery(p.csvPath, { ...p.query, trang: undefined }, {})}" download>Tải CSV</a>`
    : '';
  return html`<nav class="pager" aria-label="Phân trang"><span data-total="${p.total}">Hiển thị ${from}–${to} trong <strong>${p.total}</strong></span>
 · trang ${page}/${pages} ${prev} ${next} ${csv}</nav>`;
}

/** A cell as Excel should read it: quoted when needed, and never a formula (CSV injection). */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Sends rows as a UTF-8 CSV file with a byte-order mark, which Excel needs to show Vietnamese. */
export function sendCsv(
  reply: FastifyReply,
  filename: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
) {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','));
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(`\uFEFF${lines.join('\r\n')}\r\n`);
}

// Server-side HTML without a template engine: `html` is a tagged template whose interpolated
// values are escaped unless they are already `SafeHtml` (built by `html` itself), so text from
// agencies, operators or other services can never become markup.
import { formatDateTime, formatDay, formatDeadline } from '../domain/display/vn-time.ts';

export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup the code itself wrote (never text from outside). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A time as operators read it: "HH:MM dd/mm/yyyy", Hanoi time; with the ISO value for machines. */
export function time(iso: string | Date | null | undefined): SafeHtml {
  return timeElement(iso, formatDateTime);
}

/** A deadline: midnight is written as 24:00 of the day that ends there (hết ngày). */
export function deadlineTime(iso: string | Date | null | undefined): SafeHtml {
  return timeElement(iso, formatDeadline);
}

/** A calendar date (a letter's date, yyyy-mm-dd) as dd/mm/yyyy. */
export function day(isoDate: string | null | undefined): SafeHtml {
  if (!isoDate) return html`<span aria-label="không có">—</span>`;
  return html`<time datetime="${isoDate}">${formatDay(isoDate)}</time>`;
}

function timeElement(
  iso: string | Date | null | undefined,
  format: (d: Date) => string | undefined,
): SafeHtml {
  if (!iso) return html`<span aria-label="không có">—</span>`;
  const d = iso instanceof Date ? iso : new Date(iso);
  const text = format(d);
  if (text === undefined) return html`${String(iso)}`;
  return html`<time datetime="${d.toISOString()}">${text}</time>`;
}

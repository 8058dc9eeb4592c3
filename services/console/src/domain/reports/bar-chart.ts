// A bar chart as SVG markup, drawn on the server so the dashboard needs no JavaScript: one bar
// per value, the value's axis from 0 to a round maximum with grid lines, labels under the bars
// (every n-th when there are many), and a <title> on each bar that a screen reader or a mouse
// hover reads. Every text is escaped here, so labels from outside cannot become markup.

export interface Bar {
  label: string;
  value: number;
  /** Read on hover and by screen readers; the label and value when not given. */
  title?: string;
}

export interface BarChartOptions {
  /** The chart's accessible name. */
  title: string;
  bars: readonly Bar[];
  width?: number;
  height?: number;
  /** Label every n-th bar (the first and the last always). */
  labelEvery?: number;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (text: string) => text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);
const num = (n: number) => String(Math.round(n * 10) / 10);

/** The smallest "round" number (1, 2, 5 × 10^k) at or above `max`; at least 1. */
export function niceMaximum(max: number): number {
  if (!(max > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

export function barChartSvg(o: BarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 220;
  const left = 40;
  const bottom = 36;
  const top = 10;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const max = niceMaximum(Math.max(0, ...o.bars.map((b) => b.value)));
  const slot = o.bars.length === 0 ? plotW : plotW / o.bars.length;
  const barW = Math.max(1, slot * 0.7);
  const every = Math.max(1, o.labelEvery ?? 1);
  const parts: string[] = [];
  for (const f of [0, 0.5, 1]) {
    const y = top + plotH - f * plotH;
    parts.push(
      `<line x1="${left}" y1="${num(y)}" x2="${width - 10}" y2="${num(y)}" stroke="#d5dbe3"/>`,
      `<text x="${left - 6}" y="${num(y + 4)}" text-anchor="end" font-size="11" fill="#4a5561">${num(f * max)}</text>`,
    );
  }
  o.bars.forEach((b, i) => {
    const h = (Math.max(0, b.value) / max) * plotH;
    const x = left + i * slot + (slot - barW) / 2;
    const y = top + plotH - h;
    const title = b.title ?? `${b.label}: ${b.value}`;
    parts.push(
      `<rect class="bar" x="${num(x)}" y="${num(y)}" width="${num(barW)}" height="${num(h)}" fill="#0b4f8a" data-label="${esc(b.label)}" data-value="${b.value}"><title>${esc(title)}</title></rect>`,
    );
    if (i % every === 0 || i === o.bars.length - 1) {
      parts.push(
        `<text x="${num(x + barW / 2)}" y="${num(top + plotH + 16)}" text-anchor="middle" font-size="11" fill="#1b1f24">${esc(b.label)}</text>`,
      );
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(o.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${esc(o.title)}</title>${parts.join('')}</svg>`;
}

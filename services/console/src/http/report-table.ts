// A report as a table of cells, and the one function that sends it as a file: CSV (UTF-8 with a
// byte-order mark, list-page.ts's sendCsv) or XLSX (exceljs, loaded on the first download so the
// console does not carry it in memory until someone asks). Each report route builds its table
// once; both formats come from that table, so their figures cannot differ. In the XLSX file counts
// are numbers and shares are numbers formatted as percentages, so a spreadsheet can sum them.
import type { FastifyReply } from 'fastify';
import { formatShare } from '../domain/reports/figures.ts';
import { sendCsv } from './list-page.ts';

/** A cell: text, a count, or a share (0–1; null when there is nothing to divide by, shown "—"). */
export type ReportCell = string | number | { share: number | null };

export interface ReportTable {
  /** The file's name without its extension, e.g. `phu-luc-1-2026`. */
  filename: string;
  /** The XLSX sheet's name (at most 31 characters, none of `[]:*?/\`). */
  sheet: string;
  /** The heading above the table in the XLSX file (the CSV holds only the table). */
  title: string;
  columns: readonly string[];
  rows: readonly (readonly ReportCell[])[];
}

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A cell as the CSV file and the printable page show it. */
export function cellText(cell: ReportCell): string | number {
  return typeof cell === 'object' ? formatShare(cell.share) : cell;
}

/** The table as an XLSX workbook: its title, then a bold header row (frozen), then one row an agency. */
export async function reportWorkbook(table: ReportTable): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'hopthu';
  workbook.title = table.title;
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.addRow([table.title]).font = { bold: true, size: 13 };
  sheet.addRow([]);
  sheet.addRow([...table.columns]).font = { bold: true };
  for (const cells of table.rows) {
    const row = sheet.addRow(
      cells.map((c) => (typeof c !== 'object' ? c : c.share === null ? formatShare(null) : c.share)),
    );
    cells.forEach((c, i) => {
      if (typeof c === 'object' && c.share !== null) row.getCell(i + 1).numFmt = '0.0%';
    });
  }
  table.columns.forEach((header, i) => {
    const longest = Math.max(header.length, ...table.rows.map((r) => String(cellText(r[i] ?? '')).length));
    sheet.getColumn(i + 1).width = Math.min(60, longest + 2);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends the table as a download in the format asked for. */
export async function sendReportTable(reply: FastifyReply, table: ReportTable, format: ReportFormat) {
  if (format === 'csv')
    return sendCsv(
      reply,
      `${table.filename}.csv`,
      table.columns,
      table.rows.map((r) => r.map(cellText)),
    );
  const bytes = await reportWorkbook(table);
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${table.filename}.xlsx"`)
    .send(bytes);
}

// `./hopthu deadline`: JSON lines on stdin, one JSON line per input line on stdout, for operators
// and scripts. In: {"receivedAt": ISO-8601 with an offset (or a bare YYYY-MM-DD receipt day),
// "workingDays": N}. Out: {"dueAt": "…+07:00", "dueDate", "confirmed", "unconfirmedYears"}, or
// {"error", "code", "field", "vi"}. `dueAt` is 24:00 of the N-th working day after the day of
// receipt, written as 00:00 of the next day. Blank lines are skipped; bad input never stops the
// stream; exit 0 at end of input.
import { createInterface } from 'node:readline';
import { computeDeadline } from './deadline.ts';
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR } from './holidays.ts';
import { addDays, isLocalDate, parseInstant, startOfLocalDay, toLocalDate, yearOf } from './local-date.ts';

const USAGE = `usage: ./hopthu deadline < requests.jsonl
One JSON object per line, e.g.
  {"receivedAt":"2026-11-20T16:30:00+07:00","workingDays":5}
  {"receivedAt":"2026-02-13","workingDays":1}
receivedAt: ISO-8601 date-time with Z or an offset, or the Vietnamese receipt day YYYY-MM-DD.
workingDays: whole number >= 1. The day of receipt is not counted.
Output per line: {"dueAt":"2026-11-28T00:00:00+07:00","dueDate":"2026-11-27","confirmed":true,...}
dueAt is 24:00 of dueDate in Vietnam (UTC+7), i.e. 00:00 of the next day.
`;

type ErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'missing_field'
  | 'invalid_field'
  | 'out_of_range'
  | 'internal_error';
type Output =
  | {
      dueAt: string;
      dueDate: string;
      confirmed: boolean;
      unconfirmedYears: number[];
      calendarVersion: string;
    }
  | { error: string; code: ErrorCode; field: string | null; vi: string };

function failure(code: ErrorCode, field: string | null, error: string, vi: string): Output {
  return { error, code, field, vi };
}

function answer(line: string): Output {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure('invalid_json', null, `Invalid JSON: ${reason}`, `JSON không hợp lệ: ${reason}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return failure(
      'invalid_request',
      null,
      'Each line must be a JSON object',
      'Mỗi dòng phải là một đối tượng JSON',
    );
  }
  const { receivedAt, workingDays } = input as Record<string, unknown>;
  if (receivedAt === undefined || receivedAt === null) {
    return failure(
      'missing_field',
      'receivedAt',
      'receivedAt is required',
      'Thiếu receivedAt (thời điểm nhận)',
    );
  }
  if (workingDays === undefined || workingDays === null) {
    return failure(
      'missing_field',
      'workingDays',
      'workingDays is required',
      'Thiếu workingDays (số ngày làm việc)',
    );
  }
  let received: Date;
  try {
    if (typeof receivedAt !== 'string') throw new RangeError('must be a string');
    received = isLocalDate(receivedAt) ? startOfLocalDay(receivedAt) : parseInstant(receivedAt);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure(
      'invalid_field',
      'receivedAt',
      `receivedAt: ${reason}`,
      `receivedAt phải là thời điểm ISO-8601 có múi giờ (ví dụ 2026-11-20T16:30:00+07:00) hoặc ngày YYYY-MM-DD`,
    );
  }
  if (typeof workingDays !== 'number' || !Number.isSafeInteger(workingDays) || workingDays < 1) {
    return failure(
      'invalid_field',
      'workingDays',
      `workingDays must be a whole number >= 1, got ${JSON.stringify(workingDays)}`,
      'workingDays phải là số nguyên từ 1 trở lên',
    );
  }
  try {
    const deadline = computeDeadline(received, workingDays);
    return {
      dueAt: deadline.dueAtIso,
      dueDate: deadline.dueDate,
      confirmed: deadline.confirmed,
      unconfirmedYears: deadline.unconfirmedYears,
      calendarVersion: deadline.calendarVersion,
    };
  } catch (error) {
    if (error instanceof RangeError) {
      // The first counted day is the day after receipt; if that is outside the calendar, the
      // receipt is at fault, otherwise the count ran off the end.
      const firstCounted = yearOf(addDays(toLocalDate(received), 1));
      const receiptOutside = firstCounted < FIRST_SUPPORTED_YEAR || firstCounted > LAST_SUPPORTED_YEAR;
      return failure(
        'out_of_range',
        receiptOutside ? 'receivedAt' : 'workingDays',
        error.message,
        `Thời hạn vượt ra ngoài phạm vi lịch làm việc: ${error.message}`,
      );
    }
    throw error;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  if (argv.length > 0) {
    process.stderr.write(`unknown argument: ${argv.join(' ')}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const raw of lines) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '') continue;
    let output: Output;
    try {
      output = answer(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      output = failure('internal_error', null, `Internal error: ${reason}`, `Lỗi nội bộ: ${reason}`);
    }
    process.stdout.write(`${JSON.stringify(output)}\n`);
  }
}

await main(process.argv.slice(2));

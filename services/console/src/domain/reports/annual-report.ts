// The rows of the reports an IT centre files: Bắc Ninh's annual report (Phụ lục 1: per agency,
// staff with a mailbox, the share of them using it regularly, whether its directory is published)
// and the yearly usage statistics (Thanh Hóa Điều 12 khoản 6, Khánh Hòa Điều 11 khoản 7), from the
// directory's figures per agency. Staff are the people the directory knows for the agency.
import { ratio } from './figures.ts';

/** One agency's figures as the directory's summary gives them (the fields the reports read). */
export interface AgencyFigures {
  agencyId: string;
  name: string;
  abbreviation: string;
  /** Counts: people known, with a mailbox, logged in lately, listed publicly, made and deleted. */
  people: number;
  staffWithMailbox: number;
  regularUsers: number;
  publishedEntries: number;
  createdInPeriod: number;
  deletedInPeriod: number;
  agencyMailboxActive: boolean;
  byState: Readonly<Record<string, number>>;
}

export interface AnnualReportRow {
  agencyId: string;
  name: string;
  abbreviation: string;
  staff: number;
  staffWithMailbox: number;
  /** staffWithMailbox / staff, 0–1; null without staff (formatShare shows it). */
  mailboxShare: number | null;
  regularUsers: number;
  /** regularUsers / staffWithMailbox, 0–1; null without mailboxes. */
  regularShare: number | null;
  directoryPublished: string;
}

export function annualReportRows(agencies: readonly AgencyFigures[]): AnnualReportRow[] {
  return agencies.map((a) => ({
    agencyId: a.agencyId,
    name: a.name,
    abbreviation: a.abbreviation,
    staff: a.people,
    staffWithMailbox: a.staffWithMailbox,
    mailboxShare: ratio(a.staffWithMailbox, a.people),
    regularUsers: a.regularUsers,
    regularShare: ratio(a.regularUsers, a.staffWithMailbox),
    directoryPublished: a.publishedEntries > 0 ? `Có (${a.publishedEntries} địa chỉ)` : 'Chưa công khai',
  }));
}

export interface UsageRow {
  agencyId: string;
  name: string;
  abbreviation: string;
  active: number;
  suspendedOrLocked: number;
  deleted: number;
  created: number;
  deletedInPeriod: number;
  regularUsers: number;
  agencyMailbox: string;
}

export function usageRows(agencies: readonly AgencyFigures[]): UsageRow[] {
  return agencies.map((a) => ({
    agencyId: a.agencyId,
    name: a.name,
    abbreviation: a.abbreviation,
    active: a.byState.active ?? 0,
    suspendedOrLocked: (a.byState.suspended ?? 0) + (a.byState.locked ?? 0),
    deleted: a.byState.deleted ?? 0,
    created: a.createdInPeriod,
    deletedInPeriod: a.deletedInPeriod,
    regularUsers: a.regularUsers,
    agencyMailbox: a.agencyMailboxActive ? 'Có' : 'Chưa có',
  }));
}

/** The sum of a column over the rows (the report's "Tổng cộng" line). */
export function total<T>(rows: readonly T[], pick: (row: T) => number): number {
  return rows.reduce((sum, r) => sum + pick(r), 0);
}

// The shape of a province's policy as the rules read it. A policy is data: a province is one JSON
// file (packages/naming/provinces/<id>.json, checked by province-policy-schema.ts and
// parse-province-policy.ts; docs/provinces.md), not new code paths.

/** Kinds of unit a mailbox can belong to. `department`/`subunit`/`agency` without a parent is a
 * top-level agency (a Sở, ban, ngành); with a parent it is a sub-unit (phòng, ban, trung tâm). */
export type UnitType = 'agency' | 'department' | 'subunit' | 'district' | 'city' | 'commune' | 'ward';

export const UNIT_TYPES: readonly UnitType[] = [
  'agency',
  'department',
  'subunit',
  'district',
  'city',
  'commune',
  'ward',
];

/**
 * What happens when the plain address is taken.
 * - `numeric`: 1, 2, 3… after the name part (`tvanh1.stttt`). With `rankPriority`, people of higher
 *   rank in one request get the plain form first (Kiên Giang).
 * - `letters`: a, b, c… after the name part, then aa, ab… (Đắk Nông).
 * - `operator`: an operator decides; numbered candidates (from `start`) are proposed.
 */
export type CollisionStrategy =
  | { kind: 'numeric'; start: number; rankPriority: boolean; article: string }
  | { kind: 'letters'; article: string }
  | { kind: 'operator'; start: number; proposalCount: number; article: string };

export interface PersonalRule {
  /** `given-initials`: tuanna (Thanh Hóa, Đắk Nông); `initials-given`: tvanh (the others). */
  pattern: 'given-initials' | 'initials-given';
  /** Whether `.agency` follows the name part (Khánh Hòa: no). */
  agencyPart: boolean;
  /** Whether a person working inside a district adds `.district` after the agency (Đắk Nông). */
  districtPart: boolean;
  article: string;
}

export interface UnitRule {
  /** `nested`: child, separator, parent (`pvhtt.yendinh`); `flat`: every unit is its abbreviation. */
  hierarchy: 'nested' | 'flat';
  /** A district's (or city's) own box: its folded full name (`yenphong`) or abbreviation (`cl`). */
  districtName: 'full-name' | 'abbreviation';
  /** A commune's or ward's own name part: folded full name (`tamgiang`) or abbreviation. */
  communeName: 'full-name' | 'abbreviation';
  /** Prefix a city's (thành phố) folded full name with `tp` (`tpbacninh`); only with `full-name`. */
  cityPrefix: string;
  /**
   * A department (Sở) whose abbreviation is derived, not chosen, gets this prefix in place of the
   * initial of "Sở": An Giang's `so<name>@` (Sở Tài chính → `sotc`). Absent: the plain abbreviation.
   */
  agencyPrefix?: string;
  /**
   * Abbreviations the regulation gives for named units (its examples; Kiên Giang's Sở Thông tin
   * và Truyền thông → `sttt`, Điều 4 khoản 1), by unit name without the province's name. Used when
   * no abbreviation is chosen.
   */
  abbreviations?: Readonly<Record<string, string>>;
  article: string;
}

/** Group (distribution) addresses a province defines, e.g. Đắk Nông's `internal@`. */
export interface GroupAddressRule {
  /** Reaches every civil servant of the province. */
  province: string;
  /** Prefix of the per-agency group: `<prefix>.<agency>`. */
  agencyPrefix: string;
  article: string;
}

/**
 * What happens to a mailbox nobody uses (regulations §6): after `months` calendar months without a
 * login since the last one (or since creation when never used), it is locked (`lock`: logins
 * refused, mail kept, until a restore request) or reclaimed (`reclaim`: deleted; hopthu proposes
 * it to an operator, who approves or dismisses).
 */
export interface InactivityRule {
  months: number;
  action: 'lock' | 'reclaim';
  article: string;
  /**
   * Kiên Giang Điều 5 khoản 4: a reclaimed mailbox may be reissued on the Chánh Văn phòng's request.
   * Present: reclaim locks the mailbox (address and mail kept) for the holder's reissue until the
   * policy's retention.retiredAddressDays have passed, then deletes it. Absent: reclaim deletes.
   */
  reissue?: { article: string };
  /**
   * What counts as use (Bắc Ninh: "giao dịch gửi, nhận", so sending and receiving; Kiên Giang:
   * "truy xuất", access). Absent: logins only.
   */
  counts?: readonly ActivityKind[];
}

/** A use of a mailbox the mail server records: an IMAP login, a message sent, a message delivered. */
export type ActivityKind = 'login' | 'send' | 'receive';

/** Thanh Hóa Điều 15 khoản 3, Khánh Hòa Điều 14 khoản 4: a personnel change filed within 10 days. */
export interface FilingDeadlineRule {
  days: number;
  dayKind: 'calendar' | 'working';
  article: string;
}

/** Bắc Ninh Điều 10 khoản 2 điểm b: maintenance announced ahead, on a weekend. */
export interface PlannedDowntimeRule {
  noticeWorkingDays: number;
  weekendOnly: boolean;
  article: string;
}

/** Bắc Ninh Điều 8 khoản 5: no forwarding outside the mailboxes a state body issued. */
export interface ForwardingRule {
  article: string;
}

/**
 * Đắk Nông Điều 13 khoản 2: when the head of an agency changes, the address, password and mail of
 * the agency mailbox pass to the successor; hopthu resets the password and gives the new one-time
 * credential to the filer of the Mẫu 02, so the former head's password no longer opens the box.
 */
export interface AgencyHandoverRule {
  article: string;
}

/**
 * What a password a person chooses must contain (regulations §5: Đắk Nông Điều 12 khoản 1, Bắc
 * Ninh Điều 5 khoản 2, Kiên Giang Điều 10 khoản 4). Checked by `checkPassword`, which also refuses
 * the address, the holder's name and the current password whatever the province.
 */
export interface PasswordRule {
  minLength: number;
  requireUpper: boolean;
  requireLower: boolean;
  /** A letter of either case (Kiên Giang: "phần … chữ"). */
  requireLetter: boolean;
  requireDigit: boolean;
  requireSpecial: boolean;
  /** The characters that count as special; null: any character that is not a letter or digit. */
  specialCharacters: string | null;
  article: string;
}

/**
 * Whether the holder must change an issued password before the mailbox can be used (IMAP and SMTP
 * refuse logins until then): for a new mailbox's password (`onCreate`), for a reissued one (`onReset`).
 */
export interface FirstLoginChangeRule {
  onCreate: boolean;
  onReset: boolean;
  article: string;
}

/**
 * Kiên Giang Điều 10 khoản 3: a new mailbox whose issued password is still unchanged `workingDays`
 * working days after the creation notice is locked until a new request.
 */
export interface DefaultPasswordLockRule {
  workingDays: number;
  article: string;
}

/** How many working days the province gives itself to answer a request (Bắc Ninh 4.2b: 2). */
export interface SlaRule {
  workingDays: number;
  article: string;
}

export type ApprovalValue = 'auto' | 'operator' | 'two_operators';

/**
 * Which request items wait for operators (the requests service applies it; its safety rule holds
 * whatever the data says: an agency-mailbox delete and bulk deletes need two operators).
 */
export interface ProvinceApprovalRule {
  rules: readonly {
    operation: 'create' | 'update' | 'suspend' | 'restore' | 'delete' | 'reset_password' | '*';
    mailboxType: 'personal' | 'agency' | '*';
    approval: ApprovalValue;
  }[];
  fallback: ApprovalValue;
  bulkDeleteThreshold: number;
  article: string;
}

/** Who receives a copy of every result notice (Kiên Giang Điều 5 khoản 3: the Sở TTTT). */
export interface ResultCopyRule {
  address: string;
  /** Named in the copy's salutation: `Sở Thông tin và Truyền thông`. */
  name: string;
  article: string;
}

/** How long what is gone is kept. */
export interface RetentionRule {
  /** Full days a deleted mailbox's mail stays in retention before it is removed for good. */
  deletedMailDays: number;
  /** Days a retired address is held back from reuse (after its mailbox or forwarding ends). */
  retiredAddressDays: number;
  article: string;
}

export interface ProvincePolicy {
  /** Stable id, kebab-case ASCII: `bac-ninh`. */
  id: string;
  /** Vietnamese name, NFC: `Bắc Ninh`. */
  name: string;
  /** Primary mail domain: `bacninh.gov.vn`; new addresses use it. */
  domain: string;
  /** Alias domains from the policy file (an absorbed province's); mail to x@alias reaches x@domain. */
  aliasDomains: readonly string[];
  /** The article naming the domain. */
  domainArticle: string;
  /** The regulation: `QĐ 06/2022/QĐ-UBND (12/05/2022)`. */
  instrument: string;
  /** Between the levels of a unit's address: `.` or Khánh Hòa's `_`. Personal addresses use `.`. */
  separator: '.' | '_';
  /** The article the separator comes from. */
  separatorArticle: string;
  personal: PersonalRule;
  units: UnitRule;
  collision: CollisionStrategy;
  groupAddresses: GroupAddressRule | null;
  /** Agency mailbox quota in bytes (MB = 1024², GB = 1024³). */
  agencyQuotaBytes: number;
  /** Personal mailbox quota in bytes. */
  personalQuotaBytes: number;
  /** Largest attachment per message in bytes. */
  attachmentLimitBytes: number;
  /** Where the figures come from, and whether the text gives a minimum (≥), a maximum (≤) or a value. */
  capacity: { article: string; basis: string };
  /** Local parts never assigned to anyone: the default list plus the province's own. */
  reserved: readonly string[];
  /**
   * Where the text lets one person hold more than one personal mailbox in special cases (Đắk
   * Nông Điều 5). Absent: one personal mailbox per civil servant, no exception.
   */
  severalPersonalMailboxes?: { article: string };
  /** Inactivity rule (regulations §6). Absent: the regulation has none, nothing happens. */
  inactivity?: InactivityRule;
  /** The rule for passwords a person chooses (regulations §5). */
  password: PasswordRule;
  /** Change of an issued password before first use. Absent: the regulation asks for none. */
  firstLoginChange?: FirstLoginChangeRule;
  /** Lock of a new mailbox whose issued password is never changed. Absent: no such lock. */
  defaultPasswordLock?: DefaultPasswordLockRule;
  /** Working days to answer a request. */
  sla: SlaRule;
  /** Which items wait for operators. */
  approval: ProvinceApprovalRule;
  /** Who receives a copy of every result; null: nobody beyond the requester. */
  resultCopy: ResultCopyRule | null;
  /** How long deleted mail and retired addresses are kept. */
  retention: RetentionRule;
  /** Days to file a personnel change after its decision. Absent: no deadline. */
  filingDeadline?: FilingDeadlineRule;
  /** Notice and days of planned maintenance. Absent: the regulation sets none. */
  plannedDowntime?: PlannedDowntimeRule;
  /** Forwarding only within the province's domains. Absent: no rule. */
  forwarding?: ForwardingRule;
  /** A change of head resets the agency mailbox's password. Absent: the change is recorded only. */
  agencyHandover?: AgencyHandoverRule;
}

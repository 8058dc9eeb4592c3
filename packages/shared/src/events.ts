// Event contracts: the CloudEvents 1.0 envelope, the topics, and the data schema of every event
// type, in TypeBox. These schemas are both the documentation (docs/events.md is checked against
// them) and the runtime check every consumer applies to what it reads from Kafka.
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { newId } from './clock.ts';

// TypeBox's Value.Check knows no string formats until they are registered; without this every
// event with a `format: 'date-time'` field (request.submitted, request.finished) fails to parse.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

export const Topics = {
  requests: 'hopthu.requests.v1',
  provisioningCommands: 'hopthu.provisioning.commands.v1',
  provisioningResults: 'hopthu.provisioning.results.v1',
  provisioningDeadLetter: 'hopthu.provisioning.deadletter.v1',
  directory: 'hopthu.directory.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const OperationSchema = Type.Union([
  Type.Literal('create'),
  Type.Literal('update'),
  Type.Literal('suspend'),
  Type.Literal('restore'),
  Type.Literal('delete'),
  Type.Literal('reset_password'),
  /** Mẫu 02 for a unit itself: a new name and/or abbreviation (`changes.name`, `changes.abbreviation`). */
  Type.Literal('rename_unit'),
  /** Mẫu 03 for a unit itself: the unit is dissolved and its mailboxes deleted (two operators). */
  Type.Literal('dissolve_unit'),
  /**
   * An alias of a mailbox (`address`): `changes.alias` is the extra address in the mailbox's domain
   * that mail reaches it by; refused outside the province's domains (Bắc Ninh Điều 8 khoản 5).
   */
  Type.Literal('add_alias'),
  /** An alias (`changes.alias`) of the mailbox `address` is taken away. */
  Type.Literal('remove_alias'),
  /**
   * The mail of the mailbox `address` is forwarded to `changes.forwardTo` too, a copy kept in the
   * mailbox; replaces a forward it had. Refused outside the province's domains and gov.vn where
   * the province forbids it (Bắc Ninh Điều 8 khoản 5), and to the mailbox's own address.
   */
  Type.Literal('set_forward'),
  /** The forward of the mailbox `address` ends: its mail stays in the mailbox only. */
  Type.Literal('clear_forward'),
  /**
   * A deleted mailbox given back before its province's purge day (retention.deletedMailDays): the
   * same address, its mail moved back from retention, under a new issued password. `address` names
   * the deleted mailbox; refused when another mailbox or alias holds the address.
   */
  Type.Literal('restore_deleted'),
]);
export type Operation = Static<typeof OperationSchema>;

/** The operations on a unit itself rather than on one of its mailboxes. */
export const UNIT_OPERATIONS = ['rename_unit', 'dissolve_unit'] as const satisfies readonly Operation[];
export type UnitOperation = (typeof UNIT_OPERATIONS)[number];
export const isUnitOperation = (operation: string): operation is UnitOperation =>
  (UNIT_OPERATIONS as readonly string[]).includes(operation);

/** The operations on a mailbox's aliases: the alias is `changes.alias`. */
export const ALIAS_OPERATIONS = ['add_alias', 'remove_alias'] as const satisfies readonly Operation[];
export type AliasOperation = (typeof ALIAS_OPERATIONS)[number];
export const isAliasOperation = (operation: string): operation is AliasOperation =>
  (ALIAS_OPERATIONS as readonly string[]).includes(operation);

/** The operations on a mailbox's forward: the target of set_forward is `changes.forwardTo`. */
export const FORWARD_OPERATIONS = ['set_forward', 'clear_forward'] as const satisfies readonly Operation[];
export type ForwardOperation = (typeof FORWARD_OPERATIONS)[number];
export const isForwardOperation = (operation: string): operation is ForwardOperation =>
  (FORWARD_OPERATIONS as readonly string[]).includes(operation);

export const MailboxTypeSchema = Type.Union([Type.Literal('personal'), Type.Literal('agency')]);
export type MailboxType = Static<typeof MailboxTypeSchema>;

export const ItemStatusSchema = Type.Union([
  Type.Literal('pending_approval'),
  Type.Literal('approved'),
  Type.Literal('in_progress'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('rejected'),
]);
export type ItemStatus = Static<typeof ItemStatusSchema>;

export const RequestStatusSchema = Type.Union([
  Type.Literal('received'),
  Type.Literal('pending_approval'),
  Type.Literal('in_progress'),
  Type.Literal('completed'),
  Type.Literal('partially_completed'),
  Type.Literal('failed'),
  Type.Literal('rejected'),
]);
export type RequestStatus = Static<typeof RequestStatusSchema>;

/** A person as events carry them: names and job only. No national ID, no date of birth, ever. */
export const EventPersonSchema = Type.Object({
  familyName: Type.String(),
  middleName: Type.String(),
  givenName: Type.String(),
  position: Type.Optional(Type.String()),
  department: Type.Optional(Type.String()),
  /**
   * An opaque, stable key for the person from the sender (e.g. a keyed hash of the national ID),
   * never the ID itself. Lets the directory recognise the same person across requests.
   */
  personKey: Type.Optional(Type.String()),
  /**
   * Rank within the request, 1 the highest (Kiên Giang: among namesakes the higher rank keeps the
   * plain address). Optional; without it the directory ranks by position.
   */
  rank: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type EventPerson = Static<typeof EventPersonSchema>;

// ---------------------------------------------------------------- hopthu.requests.v1 (key: request id)

export const RequestSubmittedSchema = Type.Object({
  requestId: Type.String(),
  agencyId: Type.String(),
  province: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  reference: Type.Object({ number: Type.String(), date: Type.String() }),
  itemCount: Type.Integer(),
  /**
   * False when dueAt counts through a year whose holiday notice is not yet published (provisional
   * calendar rules); absent from producers that predate it.
   */
  dueConfirmed: Type.Optional(Type.Boolean()),
});

export const ItemApprovedSchema = Type.Object({
  requestId: Type.String(),
  itemId: Type.String(),
  /** The agency the request acts for (the item's own agency for an agency mailbox). */
  agencyId: Type.String(),
  province: Type.String(),
  operation: OperationSchema,
  mailboxType: MailboxTypeSchema,
  person: Type.Optional(EventPersonSchema),
  address: Type.Optional(Type.String()),
  /** For create and reset_password: the hash the mail server stores, never the password. */
  passwordHash: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  changes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /**
   * A personal create for someone who already holds a personal mailbox, where the province allows
   * it in special cases (Đắk Nông Điều 5): why. Recorded in the mailbox's history.
   */
  exceptionReason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  approvedBy: Type.String(),
  /**
   * Who filed the request: the agency client's id, or `operator:<name>` for a request an operator
   * filed from the console. The directory names it in the history of an alias change approved on
   * receipt (policy:auto). Absent from producers that predate it.
   */
  filedBy: Type.Optional(Type.String()),
});
export type ItemApproved = Static<typeof ItemApprovedSchema>;

export const ItemRejectedSchema = Type.Object({
  requestId: Type.String(),
  itemId: Type.String(),
  agencyId: Type.String(),
  reason: Type.String(),
  rejectedBy: Type.String(),
});

export const RequestItemOutcomeSchema = Type.Object({
  itemId: Type.String(),
  operation: OperationSchema,
  mailboxType: MailboxTypeSchema,
  status: ItemStatusSchema,
  address: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  hasCredential: Type.Boolean(),
});

/** Every item has reached a terminal state: the notifier turns this into the result mail and webhook. */
export const RequestFinishedSchema = Type.Object({
  requestId: Type.String(),
  agencyId: Type.String(),
  /**
   * The agency that filed the request when it is not `agencyId` (a parent filing for its sub-unit):
   * the result goes to the filer, a copy to the sub-unit. Absent: the agency filed for itself.
   */
  filerAgencyId: Type.Optional(Type.String()),
  province: Type.String(),
  status: RequestStatusSchema,
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.String({ format: 'date-time' }),
  reference: Type.Object({ number: Type.String(), date: Type.String() }),
  requestUrl: Type.String(),
  webhookUrl: Type.Optional(Type.String()),
  items: Type.Array(RequestItemOutcomeSchema),
});
export type RequestFinished = Static<typeof RequestFinishedSchema>;

/**
 * A mailbox's holder chose a new password on the self-service page or API (hopthu.requests.v1, key
 * mailbox id). Only the hash the mail server stores travels; the directory records it in the
 * mailbox's history and sends `set_password` (the issued password need no longer be changed).
 */
export const PasswordChangedSchema = Type.Object({
  changeId: Type.String(),
  mailboxId: Type.String(),
  address: Type.String(),
  passwordHash: Type.String(),
  changedAt: Type.String({ format: 'date-time' }),
});
export type PasswordChanged = Static<typeof PasswordChangedSchema>;

// ---------------------------------------------------------------- provisioning (key: mailbox id)

export const ProvisioningActionSchema = Type.Union([
  Type.Literal('create'),
  Type.Literal('set_password'),
  Type.Literal('set_quota'),
  Type.Literal('suspend'),
  Type.Literal('restore'),
  Type.Literal('delete'),
  Type.Literal('rename'),
  /**
   * An alias or group address (vmail `alias` row): `address` is the alias, `aliasTargets` the
   * addresses it forwards to, `mailboxId` the alias's or group's own id with its own generation.
   */
  Type.Literal('set_alias'),
  Type.Literal('remove_alias'),
  /**
   * An alias domain of a province (vmail `alias_domain` row): `address` and `domain` are the alias
   * domain, `targetDomain` the province's primary domain, `mailboxId` the domain's own id with its
   * own generation. Mail to x@alias is delivered to x@target.
   */
  Type.Literal('set_alias_domain'),
  Type.Literal('remove_alias_domain'),
  /**
   * A deleted mailbox comes back: its row is written again (`passwordHash`, `quotaBytes`,
   * `passwordChangeRequired`) and its mail moved back from retention before its purge day.
   */
  Type.Literal('restore_deleted'),
]);
export type ProvisioningAction = Static<typeof ProvisioningActionSchema>;

export const ProvisioningCommandSchema = Type.Object({
  commandId: Type.String(),
  mailboxId: Type.String(),
  /** The mailbox's target generation: a command older than what was applied changes nothing. */
  generation: Type.Integer({ minimum: 1 }),
  action: ProvisioningActionSchema,
  address: Type.String(),
  domain: Type.String(),
  requestId: Nullable(Type.String()),
  itemId: Nullable(Type.String()),
  passwordHash: Type.Optional(Type.String()),
  /**
   * create, set_password, restore with a passwordHash: whether the holder must change this (issued)
   * password before IMAP and SMTP let them in (province policy: Đắk Nông, Khánh Hòa resets). Absent:
   * no.
   */
  passwordChangeRequired: Type.Optional(Type.Boolean()),
  quotaBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  newAddress: Type.Optional(Type.String()),
  /**
   * rename: until when the old address keeps forwarding to the new one (the directory's transition
   * period). Optional; without it the provisioner uses its own default.
   */
  aliasExpiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  /** set_alias: where mail to `address` goes (one or more addresses). */
  aliasTargets: Type.Optional(Type.Array(Type.String())),
  /**
   * set_alias of a group: the only senders allowed to mail the group (e.g. Đắk Nông internal@:
   * administrators only). Absent: anyone may send. Present and empty: nobody may.
   */
  allowedSenders: Type.Optional(Type.Array(Type.String())),
  /** set_alias_domain: the domain mail to the alias domain is delivered to (the primary). */
  targetDomain: Type.Optional(Type.String()),
  /**
   * restore_deleted: what the item's result also says when the command is carried out ("vi / en":
   * the aliases the restore could not bring back, with why). The provisioner answers it as the
   * result's `error` of an applied (or skipped) outcome, which the requests service keeps as the
   * item's reason.
   */
  resultNote: Type.Optional(Type.String()),
  /**
   * restore_deleted: the forward the mailbox had when deleted, brought back with it (the directory
   * judged the target still valid): the mail server writes the mailbox's forward row, `address` ->
   * `address`, `forwardTo`, under the command's generation in the same transaction. Absent: none.
   */
  forwardTo: Type.Optional(Type.String()),
});
export type ProvisioningCommand = Static<typeof ProvisioningCommandSchema>;

export const ProvisioningResultSchema = Type.Object({
  commandId: Type.String(),
  mailboxId: Type.String(),
  generation: Type.Integer(),
  action: ProvisioningActionSchema,
  address: Type.String(),
  requestId: Nullable(Type.String()),
  itemId: Nullable(Type.String()),
  outcome: Type.Union([Type.Literal('applied'), Type.Literal('skipped'), Type.Literal('failed')]),
  /** Why it failed ("vi / en"); on an applied or skipped outcome, the command's resultNote. */
  error: Type.Optional(Type.String()),
  attempts: Type.Integer(),
});
export type ProvisioningResult = Static<typeof ProvisioningResultSchema>;

/**
 * Many provisioning commands in one message (an import's batch, key `import:<job id>:<batch>`): the
 * provisioner applies each as if it came alone (same validation, generation rule and mail-server
 * calls) inside one inbox transaction and answers them all in one bulk result. Saves a Kafka
 * message, an inbox transaction and a result event per mailbox when thousands arrive at once.
 */
export const ProvisioningBulkCommandSchema = Type.Object({
  batchId: Type.String(),
  commands: Type.Array(ProvisioningCommandSchema, { minItems: 1, maxItems: 2000 }),
});
export type ProvisioningBulkCommand = Static<typeof ProvisioningBulkCommandSchema>;

/** The results of a bulk command, one per command in its order (key: the bulk command's key). */
export const ProvisioningBulkResultSchema = Type.Object({
  batchId: Type.String(),
  results: Type.Array(ProvisioningResultSchema),
});
export type ProvisioningBulkResult = Static<typeof ProvisioningBulkResultSchema>;

/**
 * The mail server's record of a mailbox's last use, reported by the provisioner on
 * hopthu.provisioning.results.v1 (key mailbox id) when any of it changed since its last report:
 * the last IMAP login, the last message sent through submission, the last message delivered into
 * it (each absent when never; at least one is present). The directory keeps the latest of those
 * its province counts for the inactivity rules (regulations §6; Bắc Ninh counts sending and
 * receiving). `lastLoginAt` was always present before sending and receiving were reported.
 */
export const MailboxActivitySchema = Type.Object({
  mailboxId: Type.String(),
  address: Type.String(),
  lastLoginAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastSentAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastReceivedAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type MailboxActivity = Static<typeof MailboxActivitySchema>;

// ---------------------------------------------------------------- hopthu.directory.v1 (compacted)

export const AgencyStateSchema = Type.Object({
  agencyId: Type.String(),
  province: Type.String(),
  domain: Type.String(),
  name: Type.String(),
  abbreviation: Type.String(),
  parentId: Nullable(Type.String()),
  unitType: Type.String(),
  officialMailbox: Nullable(Type.String()),
  /** Ids of the agency and all its ancestors, nearest first: an agency acts for its sub-units. */
  ancestorIds: Type.Array(Type.String()),
  /**
   * When the unit was dissolved (Mẫu 03 for the unit itself, or by an operator); null while it
   * lives. The requests service refuses requests for a dissolved unit. Absent from producers that
   * predate it: read as null.
   */
  dissolvedAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
});
export type AgencyState = Static<typeof AgencyStateSchema>;

export const MailboxStateSchema = Type.Object({
  mailboxId: Type.String(),
  address: Type.String(),
  domain: Type.String(),
  type: MailboxTypeSchema,
  state: Type.Union([
    Type.Literal('provisioning'),
    Type.Literal('active'),
    Type.Literal('suspended'),
    Type.Literal('locked'),
    Type.Literal('deleted'),
  ]),
  agencyId: Type.String(),
  displayName: Type.String(),
  position: Type.Optional(Type.String()),
  department: Type.Optional(Type.String()),
  aliases: Type.Array(Type.String()),
  /**
   * Where the mailbox's mail is forwarded too (set_forward; a copy stays in the mailbox); null
   * without a forward. Absent from producers that predate it: read as null.
   */
  forwardTo: Type.Optional(Nullable(Type.String())),
  quotaBytes: Type.Integer(),
  generation: Type.Integer(),
});
export type MailboxState = Static<typeof MailboxStateSchema>;

/**
 * A province's domains (key: `province:<id>`): the primary, where new addresses go, and the alias
 * domains, whose mail is delivered to the same local part at the primary (an absorbed province's
 * domain after a merger). Addresses are unique across all of them. Whole state, compacted.
 */
export const ProvinceStateSchema = Type.Object({
  province: Type.String(),
  primaryDomain: Type.String(),
  aliasDomains: Type.Array(Type.String()),
  generation: Type.Integer(),
});
export type ProvinceState = Static<typeof ProvinceStateSchema>;

/**
 * A reorganisation (merger of provinces or agencies, a dissolved district, a renamed unit) changed
 * addresses of this agency's mailboxes (key: `reorganisation:<id>:<agencyId>`): one event per
 * agency, so the agency gets one result mail listing them and each holder a notice.
 */
export const AgencyReorganisedSchema = Type.Object({
  reorganisationId: Type.String(),
  title: Type.String(),
  effectiveFrom: Type.String(),
  agencyId: Type.String(),
  agencyName: Type.String(),
  province: Type.String(),
  /** The agency's official mailbox after the change (where the result mail goes); null: none. */
  officialMailbox: Nullable(Type.String()),
  changes: Type.Array(
    Type.Object({
      mailboxId: Type.String(),
      displayName: Type.String(),
      from: Type.String(),
      to: Type.String(),
      /** Until when mail to the old address still arrives (the transition alias). */
      aliasUntil: Type.String({ format: 'date-time' }),
    }),
  ),
});
export type AgencyReorganised = Static<typeof AgencyReorganisedSchema>;

/**
 * A mailbox locked by a province rule, not by a request (key: `locked:<mailboxId>`): Kiên Giang
 * Điều 10 khoản 3 locks a mailbox whose issued password was never changed. The notifier tells the
 * agency, since nobody asked for it; a `restore` request opens it again.
 */
export const MailboxLockedSchema = Type.Object({
  mailboxId: Type.String(),
  address: Type.String(),
  agencyId: Type.String(),
  province: Type.String(),
  lockedAt: Type.String(),
  /** Which rule locked it: `default_password` (the issued password never changed). */
  rule: Type.String(),
  article: Type.String(),
  reason: Type.Object({ vi: Type.String(), en: Type.String() }),
});
export type MailboxLocked = Static<typeof MailboxLockedSchema>;

/**
 * The one-time credentials an import owes (key: `import-credentials:<jobId>:<agencyId>:<part>`):
 * mailboxes imported without a password hash, live on the mail server with a password nobody
 * knows. The requests service files them for their agency as a `reset_password` request, so the
 * credential reaches the agency as a new mailbox's does (result mail, one-time credential links).
 * At most 500 mailboxes a part; `part` of `parts` per agency.
 */
export const ImportCredentialsRequestedSchema = Type.Object({
  jobId: Type.String(),
  province: Type.String(),
  agencyId: Type.String(),
  part: Type.Integer({ minimum: 1 }),
  parts: Type.Integer({ minimum: 1 }),
  mailboxes: Type.Array(Type.Object({ mailboxId: Type.String(), address: Type.String() }), {
    minItems: 1,
    maxItems: 500,
  }),
});
export type ImportCredentialsRequested = Static<typeof ImportCredentialsRequestedSchema>;

/** Every event type, with the schema of its `data`. */
export const EventTypes = {
  'vn.gov.hopthu.request.submitted.v1': RequestSubmittedSchema,
  'vn.gov.hopthu.request.item.approved.v1': ItemApprovedSchema,
  'vn.gov.hopthu.request.item.rejected.v1': ItemRejectedSchema,
  'vn.gov.hopthu.request.finished.v1': RequestFinishedSchema,
  'vn.gov.hopthu.selfservice.password.changed.v1': PasswordChangedSchema,
  'vn.gov.hopthu.provisioning.command.v1': ProvisioningCommandSchema,
  'vn.gov.hopthu.provisioning.result.v1': ProvisioningResultSchema,
  'vn.gov.hopthu.provisioning.activity.v1': MailboxActivitySchema,
  'vn.gov.hopthu.provisioning.bulk-command.v1': ProvisioningBulkCommandSchema,
  'vn.gov.hopthu.provisioning.bulk-result.v1': ProvisioningBulkResultSchema,
  'vn.gov.hopthu.directory.agency.v1': AgencyStateSchema,
  'vn.gov.hopthu.directory.mailbox.v1': MailboxStateSchema,
  'vn.gov.hopthu.directory.province.v1': ProvinceStateSchema,
  'vn.gov.hopthu.directory.reorganised.v1': AgencyReorganisedSchema,
  'vn.gov.hopthu.directory.mailbox-locked.v1': MailboxLockedSchema,
  'vn.gov.hopthu.directory.import-credentials.v1': ImportCredentialsRequestedSchema,
} as const;
export type EventType = keyof typeof EventTypes;
export type EventData<T extends EventType> = Static<(typeof EventTypes)[T]>;

/** The CloudEvents 1.0 structured envelope. `correlationid` is an extension attribute. */
export const EnvelopeSchema = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Type.String({ minLength: 1 }),
  source: Type.String({ minLength: 1 }),
  type: Type.String({ minLength: 1 }),
  subject: Type.Optional(Type.String()),
  time: Type.String(),
  datacontenttype: Type.Literal('application/json'),
  correlationid: Type.Optional(Type.String()),
  data: Type.Unknown(),
});
export type Envelope<T extends EventType = EventType> = Omit<
  Static<typeof EnvelopeSchema>,
  'data' | 'type'
> & {
  type: T;
  data: EventData<T>;
};
export type AnyEnvelope = { [K in EventType]: Envelope<K> }[EventType];

export function buildEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  opts: { source: string; subject?: string; correlationId?: string; time?: Date; id?: string },
): Envelope<T> {
  const e: Envelope<T> = {
    specversion: '1.0',
    id: opts.id ?? newId(),
    source: opts.source,
    type,
    time: (opts.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data,
  };
  if (opts.subject) e.subject = opts.subject;
  if (opts.correlationId) e.correlationid = opts.correlationId;
  return e;
}

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** Parses and checks an event read from Kafka. Throws InvalidEventError for anything malformed. */
export function parseEvent(raw: Buffer | string | null): AnyEnvelope {
  if (raw === null) throw new InvalidEventError('empty message');
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new InvalidEventError('message is not JSON');
  }
  if (!Value.Check(EnvelopeSchema, value)) {
    const first = [...Value.Errors(EnvelopeSchema, value)][0];
    throw new InvalidEventError(`not a CloudEvents envelope: ${first?.path} ${first?.message}`);
  }
  const env = value as { type: string; data: unknown };
  const schema = (EventTypes as Record<string, TSchema>)[env.type];
  if (!schema) throw new InvalidEventError(`unknown event type ${env.type}`);
  if (!Value.Check(schema, env.data)) {
    const first = [...Value.Errors(schema, env.data)][0];
    throw new InvalidEventError(`invalid ${env.type} data: ${first?.path} ${first?.message}`);
  }
  return value as AnyEnvelope;
}

// The provisioner's port to a mail server: one method per provisioning action. Every method is
// idempotent by generation: the server keeps, per mailbox, the generation of the last change it
// applied, and a call whose generation is not newer changes nothing and answers `skipped`. So a
// redelivered or out-of-order older command is harmless, even one that already reached the mail
// server before a crash. Follow-ups that are themselves idempotent (ending sessions, moving a
// maildir away) are re-run for the current generation, so a retry finishes what a crash cut short.
//
// Errors: throw PermanentError (from @hopthu/shared) for what can never succeed (an invalid
// address, an unknown mailbox, a constraint the data breaks); MailServerUnavailableError, or any
// connection error, for what may pass later; the provisioner retries those in place.
export type AdapterOutcome = {
  outcome: 'applied' | 'skipped';
  /** Human-readable remarks (e.g. "maildir moved to …", "already applied"), for the log. */
  notes: string[];
  /**
   * With `skipped`: the server already held exactly this generation (not a newer one), e.g. an
   * earlier attempt of this very command got through before a crash or a failed follow-up.
   */
  current?: boolean;
};

export interface MailboxTarget {
  address: string;
  /** The mailbox's target generation after this change. */
  generation: number;
}

export interface MailboxSnapshot {
  address: string;
  domain: string;
  active: boolean;
  quotaBytes: number;
  generation: number;
}

export interface AliasSnapshot {
  address: string;
  targets: string[];
  /** null: anyone may send to it; a list: only these senders. */
  allowedSenders: string[] | null;
  expiresAt: Date | null;
  generation: number;
}

/**
 * A mail server's mailboxes and aliases read a page at a time, each listing in byte order of the
 * address (as JavaScript compares these ASCII addresses); a page shorter than `limit` is the last.
 */
export interface MailServerScan {
  mailboxes(limit: number): Promise<MailboxSnapshot[]>;
  /** Aliases and groups, by their own address. */
  aliases(limit: number): Promise<AliasSnapshot[]>;
  /** One alias of any domain, as getAlias, in the same moment (and without another connection). */
  alias(address: string): Promise<AliasSnapshot | null>;
  close(): Promise<void>;
}

/** When a mailbox was last used, as the mail server records it; each null when never. */
export interface MailboxLogin {
  address: string;
  /** The last IMAP login. */
  lastLoginAt: Date | null;
  /** The last message sent through submission with the mailbox's login. */
  lastSentAt: Date | null;
  /** The last message delivered into it. */
  lastReceivedAt: Date | null;
}

/** The mail of a deleted mailbox, held in retention until its period ends. */
export interface RetainedMailbox {
  address: string;
  /** The generation of the delete that retained it. */
  generation: number;
  /** The UTC day of the delete, `yyyy-mm-dd`. */
  deletedOn: string;
  /** Where the adapter keeps it (a path, a bucket key…), for an operator. */
  location: string;
}

export type CreateMailboxInput = MailboxTarget & {
  domain: string;
  passwordHash: string;
  quotaBytes: number;
  /** The holder must change this issued password before logging in (IMAP, SMTP refuse until then). */
  passwordChangeRequired?: boolean | undefined;
};

export interface MailServerAdapter {
  readonly name: string;
  createMailbox(input: CreateMailboxInput): Promise<AdapterOutcome>;
  /**
   * Optional: createMailbox for many mailboxes at once (an import's bulk command), one outcome per
   * input in order, each exactly as createMailbox would answer. Throws PermanentError when any
   * input is invalid (the caller then creates them one by one, so only that one fails).
   */
  createMailboxes?(inputs: readonly CreateMailboxInput[]): Promise<AdapterOutcome[]>;
  setPassword(
    input: MailboxTarget & { passwordHash: string; passwordChangeRequired?: boolean | undefined },
  ): Promise<AdapterOutcome>;
  setQuota(input: MailboxTarget & { quotaBytes: number }): Promise<AdapterOutcome>;
  /** Refuses new logins and ends open sessions. */
  suspendMailbox(input: MailboxTarget): Promise<AdapterOutcome>;
  /** Opens logins again; with a passwordHash, under that new issued password (Kiên Giang's lock). */
  restoreMailbox(
    input: MailboxTarget & {
      passwordHash?: string | undefined;
      passwordChangeRequired?: boolean | undefined;
    },
  ): Promise<AdapterOutcome>;
  /**
   * Gives a deleted mailbox back before its purge day: its row again, under this generation and a
   * new issued password, and its newest retained mail (of a generation before this one) back where
   * the mailbox reads it, before anyone can log in. No retained mail (a mailbox that never received
   * any) gives an empty mailbox. With `forwardTo`, the forward the mailbox had comes back with it
   * (its forward row, the address itself and the target, under this generation), checked by the
   * same forwarding rule as a set_alias. PermanentError when another mailbox holds the address.
   */
  restoreDeletedMailbox(
    input: CreateMailboxInput & { forwardTo?: string | undefined },
  ): Promise<AdapterOutcome>;
  /** Removes the mailbox, ends its sessions and moves its mail into retention. Deleting an absent mailbox succeeds. */
  deleteMailbox(input: MailboxTarget): Promise<AdapterOutcome>;
  /** Moves the mailbox to a new address; the old one keeps forwarding for a transition period. */
  renameMailbox(
    input: MailboxTarget & { newAddress: string; aliasExpiresAt?: Date | null },
  ): Promise<AdapterOutcome>;
  /**
   * Creates or replaces an alias or group address: mail to `address` goes to every target. With
   * `allowedSenders`, only those envelope senders may use it (a group such as Đắk Nông's
   * internal@); an empty list lets nobody. The generation is the alias's own.
   */
  setAlias(
    input: MailboxTarget & {
      targets: string[];
      allowedSenders?: string[] | undefined;
      expiresAt?: Date | null;
    },
  ): Promise<AdapterOutcome>;
  /** Removes an alias or group address. Removing an absent one succeeds. */
  removeAlias(input: MailboxTarget): Promise<AdapterOutcome>;
  /**
   * Makes `address` (a domain) an alias domain of `targetDomain`: mail to x@address is delivered to
   * x@targetDomain. The generation is the domain's own. Optional: an adapter without it answers
   * set_alias_domain / remove_alias_domain with a permanent failure.
   */
  setAliasDomain?(input: MailboxTarget & { targetDomain: string }): Promise<AdapterOutcome>;
  /** Ends an alias domain. Removing an absent one succeeds. */
  removeAliasDomain?(input: MailboxTarget): Promise<AdapterOutcome>;
  getMailbox(address: string): Promise<MailboxSnapshot | null>;
  /**
   * The mailboxes and the aliases of these domains, read a page at a time (the drift check): the
   * scan holds what it reads from one moment of the server and must be closed.
   */
  scan(domains: readonly string[]): Promise<MailServerScan>;
  /**
   * Every mailbox that has logged in, sent or received at least once, with the last of each (the
   * inactivity rules): never-used mailboxes are left out.
   */
  listLastLogins(filter: { domain?: string | undefined }): Promise<MailboxLogin[]>;
  /**
   * Drift repair: forces the mailbox to this state whatever the stored generation (which becomes
   * the larger of the two). A missing mailbox is created with a password nobody can log in with
   * (the directory does not know the hash: an operator resets it). Ends sessions when inactive.
   */
  repairMailbox(
    input: MailboxTarget & { domain: string; active: boolean; quotaBytes: number },
  ): Promise<AdapterOutcome>;
  getAlias(address: string): Promise<AliasSnapshot | null>;
  /**
   * Drift repair: makes `address` an alias forwarding to `targets` whatever the stored generation
   * (which stays the larger of the two), without expiry or sender restriction. PermanentError when
   * the address is a mailbox.
   */
  repairAlias(input: MailboxTarget & { targets: string[] }): Promise<AdapterOutcome>;
  /** The mail of deleted mailboxes still held in retention, oldest first. */
  listRetained(): Promise<RetainedMailbox[]>;
  /**
   * Removes for good the retained mail of mailboxes deleted before `deletedBefore` (a UTC day,
   * `yyyy-mm-dd`, exclusive) and answers what it removed. The caller decides the period.
   */
  purgeRetained(input: {
    deletedBefore: string;
    /**
     * Per domain of the retained address, its own `deletedBefore` (each province keeps deleted mail
     * its own period, `retention.deletedMailDays` of its policy); a domain not listed takes the
     * general one.
     */
    deletedBeforeByDomain?: Readonly<Record<string, string>>;
  }): Promise<RetainedMailbox[]>;
  /** Throws when the mail server cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The mail server (its database or admin API) cannot be reached now: retry later. */
export class MailServerUnavailableError extends Error {
  override name = 'MailServerUnavailableError';
}

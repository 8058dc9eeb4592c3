// A run of approved personal creates applied set-wise: what createPersonalMailbox does for one item
// (applyApprovedItem's path), for up to a consumer batch of items in a fixed number of statements —
// the agencies and their own mailboxes, the people known by key and their mailboxes, the likely
// same holders, one collision query per domain for the first candidates of every item, then one
// insert each of people and mailboxes, the history, commands and states (recordEachMailboxChange)
// and the rank-batch counters. The addresses are chosen in memory in the items' order, an address
// given to an earlier item counting as taken, so each item gets exactly what it would get alone.
//
// Only the plain case goes set-wise. The first item that is not (its agency unknown or dissolved,
// a naming error, a namesake the province leaves to an operator, the person already holding a
// mailbox or appearing twice in the run, an address beyond the candidates asked about) ends the
// set-wise part: the caller handles that item through the per-event path, then the rest again.
import {
  chooseAddress,
  getPolicy,
  isNamingError,
  type NamingInput,
  type ProvincePolicy,
} from '@hopthu/naming';
import type { AnyEnvelope, Envelope } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import { findTakenLocalParts } from '../../db/address-repository.ts';
import { type Agency, findAgenciesByIds } from '../../db/agency-repository.ts';
import {
  findLikelySameHolders,
  findLiveAgencyMailboxes,
  findLivePersonalMailboxes,
  insertMailboxesIfFree,
  type Mailbox,
} from '../../db/mailbox-repository.ts';
import { findPeopleByKeys, insertPeople, type Person } from '../../db/person-repository.ts';
import type { ChangeContext } from '../deps.ts';
import { newMailbox } from '../mailboxes/claim-mailbox.ts';
import { agencyPartForPerson, personalNamingInput } from '../mailboxes/naming-input.ts';
import { ruleCandidates } from '../mailboxes/pick-address.ts';
import { recordEachMailboxChange } from '../mailboxes/record-mailbox-change.ts';
import { itemChangeContext } from './apply-approved-item.ts';
import { createdChange, newPerson, personJob } from './create-personal-mailbox.ts';
import type { ItemDeps } from './item-outcome.ts';

export type ApprovedEvent = Envelope<'vn.gov.hopthu.request.item.approved.v1'>;

/**
 * How many of an item's first candidates the run's collision query asks about: most people get
 * their first or second. An item with more namesakes than that asks about all the candidates the
 * per-event path asks about (ruleCandidates, 200) in a query of its own.
 */
const CANDIDATES_ASKED = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A personal create with nothing unusual about it (a person, an agency id, no exception): what
 * applyPersonalCreates takes. Whether it is applied as it comes or staged for a rank batch is for
 * the caller (ranked-batches.ts: isSetWiseCreate).
 */
export function isPlainPersonalCreate(event: AnyEnvelope): event is ApprovedEvent {
  if (event.type !== 'vn.gov.hopthu.request.item.approved.v1') return false;
  const item = (event as ApprovedEvent).data;
  return (
    item.operation === 'create' &&
    item.mailboxType === 'personal' &&
    item.person !== undefined &&
    item.exceptionReason === undefined &&
    UUID.test(item.agencyId)
  );
}

interface Draft {
  event: ApprovedEvent;
  logger: Logger;
  agency: Agency;
  policy: ProvincePolicy;
  input: NamingInput;
  /** The rule's candidates, best first; the run's collision query asks about the first few. */
  candidates: string[];
  job: ReturnType<typeof personJob>;
}

interface Planned {
  draft: Draft;
  person: (Person & { foldedName: string }) | null;
  mailbox: Mailbox;
  ctx: ChangeContext;
}

/**
 * Applies the leading items of `items` (all isPlainPersonalCreate, in the order they are served)
 * set-wise, in the caller's transaction, as applyApprovedItem would one by one; how many it
 * applied. The item at that index, if any, is for the caller to apply through the per-event path
 * before calling again with the rest. Counting items towards a rank batch is the caller's.
 */
export async function applyPersonalCreates(
  deps: Omit<ItemDeps, 'logger'>,
  items: readonly { event: ApprovedEvent; logger: Logger }[],
): Promise<number> {
  const { db } = deps;
  // one time for everything the run changes, as one for everything an event changes
  const at = deps.clock.now();
  const drafts = await draftItems(deps, items);
  const planned = await planItems(deps, drafts, at);
  if (planned.length === 0) return 0;

  await insertPeople(
    db,
    planned.flatMap((p) => (p.person ? [p.person] : [])),
    at,
  );
  const inserted = await insertMailboxesIfFree(
    db,
    planned.map((p) => ({ ...p.mailbox, passwordIssuedAt: p.draft.event.data.passwordHash ? at : null })),
    at,
  );
  if (inserted.size !== planned.length) {
    // a concurrent insert took an address or a holder's mailbox: the batch's transaction is given
    // up and the inbox handles its events one at a time, where each claim settles its own race
    throw new Error('a set-wise create lost an address to a concurrent insert');
  }
  const changes = [];
  for (const p of planned) {
    const { passwordHash } = p.draft.event.data;
    changes.push({ change: await createdChange(p.mailbox, passwordHash, p.draft.policy), ctx: p.ctx });
  }
  await recordEachMailboxChange(deps, changes);
  for (const p of planned) {
    const item = p.draft.event.data;
    p.draft.logger
      .child({ requestId: item.requestId, itemId: item.itemId, operation: item.operation })
      .info({ address: p.mailbox.address }, 'provisioning command issued');
  }
  return planned.length;
}

/** The items' agencies, rules and first candidates, up to the first item that cannot go set-wise. */
async function draftItems(
  deps: Pick<ItemDeps, 'db'>,
  items: readonly { event: ApprovedEvent; logger: Logger }[],
): Promise<Draft[]> {
  const agencyIds = [...new Set(items.map((i) => i.event.data.agencyId))];
  const agencies = await findAgenciesByIds(deps.db, agencyIds);
  const officials = await findLiveAgencyMailboxes(deps.db, agencyIds);
  const drafts: Draft[] = [];
  for (const { event, logger } of items) {
    const agency = agencies.get(event.data.agencyId);
    const person = event.data.person;
    if (!agency || agency.dissolvedAt || !person) break;
    let policy: ProvincePolicy;
    try {
      policy = getPolicy(agency.province);
    } catch {
      break;
    }
    const input = personalNamingInput(
      person,
      agencyPartForPerson(agency, officials.get(agency.id)?.localPart ?? null),
    );
    let candidates: string[];
    try {
      candidates = ruleCandidates(policy, input);
    } catch (error) {
      if (isNamingError(error)) break;
      throw error;
    }
    drafts.push({ event, logger, agency, policy, input, candidates, job: personJob(person) });
  }
  return drafts;
}

/**
 * The drafts in order that come to a plain create (the person not yet holding a mailbox, a free
 * address of the rule), with their people, mailboxes and contexts; it stops at the first that
 * does not.
 */
async function planItems(
  deps: Omit<ItemDeps, 'logger'>,
  drafts: readonly Draft[],
  at: Date,
): Promise<Planned[]> {
  if (drafts.length === 0) return [];
  const { db } = deps;
  const byProvince = groupBy(drafts, (d) => d.agency.province);
  const known = new Map<string, Person>();
  const held = new Set<string>();
  for (const [province, group] of byProvince) {
    const keys = group.flatMap((d) =>
      d.event.data.person?.personKey ? [d.event.data.person.personKey] : [],
    );
    const people = await findPeopleByKeys(db, province, keys);
    for (const [key, person] of people) known.set(`${province}\0${key}`, person);
    const mailboxes = await findLivePersonalMailboxes(
      db,
      [...people.values()].map((p) => p.id),
      province,
    );
    for (const personId of mailboxes.keys()) held.add(personId);
  }
  const unkeyed = drafts.filter((d) => !d.event.data.person?.personKey);
  const likely = await findLikelySameHolders(
    db,
    unkeyed.map((d) => ({ agencyId: d.agency.id, ...d.job })),
  );
  const likelyHeld = new Set(unkeyed.filter((_, i) => likely.has(i)));
  const taken = new Map<string, Set<string>>();
  for (const [domain, group] of groupBy(drafts, (d) => d.policy.domain)) {
    taken.set(
      domain,
      await findTakenLocalParts(
        db,
        domain,
        group.flatMap((d) => d.candidates.slice(0, CANDIDATES_ASKED)),
        at,
      ),
    );
  }

  const planned: Planned[] = [];
  const keysInRun = new Set<string>();
  const holdersInRun = new Set<string>();
  const givenInRun = new Map<string, Set<string>>();
  for (const draft of drafts) {
    const { event, agency, policy } = draft;
    const personKey = event.data.person?.personKey;
    const holder = [agency.id, draft.job.foldedName, draft.job.position, draft.job.department].join('\0');
    let person: Person | undefined;
    if (personKey) {
      const key = `${agency.province}\0${personKey}`;
      if (keysInRun.has(key)) break;
      person = known.get(key);
      if (person && held.has(person.id)) break;
      keysInRun.add(key);
    } else if (likelyHeld.has(draft) || holdersInRun.has(holder)) {
      break;
    }
    const domainTaken = taken.get(policy.domain) ?? new Set<string>();
    const given = givenInRun.get(policy.domain) ?? new Set<string>();
    const choose = (asked: ReadonlySet<string>) => {
      let beyond = false;
      const choice = chooseAddress(policy, draft.input, (local) => {
        if (!asked.has(local)) beyond = true;
        return beyond || domainTaken.has(local) || given.has(local);
      });
      return beyond ? null : choice;
    };
    let choice = choose(new Set(draft.candidates.slice(0, CANDIDATES_ASKED)));
    if (!choice) {
      // more namesakes than the run asked about: all of the rule's candidates, as the item alone
      for (const local of await findTakenLocalParts(db, policy.domain, draft.candidates, at))
        domainTaken.add(local);
      choice = choose(new Set(draft.candidates));
    }
    if (choice?.outcome !== 'assigned') break;
    holdersInRun.add(holder);
    given.add(choice.local);
    givenInRun.set(policy.domain, given);
    const personId = person?.id ?? deps.newId();
    const mailbox = newMailbox(
      {
        id: deps.newId(),
        type: 'personal',
        agencyId: agency.id,
        personId,
        province: agency.province,
        quotaBytes: policy.personalQuotaBytes,
      },
      choice.local,
      policy,
    );
    planned.push({
      draft,
      person: person ? null : newPerson(personId, event.data.person!, agency),
      mailbox: { ...mailbox, createdAt: at, updatedAt: at },
      ctx: itemChangeContext(event, at),
    });
  }
  return planned;
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const group = groups.get(key(value));
    if (group) group.push(value);
    else groups.set(key(value), [value]);
  }
  return groups;
}

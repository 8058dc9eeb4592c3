// What an agency submits (design §3.1, binding names): the form's head and its items, each one
// operation. The use cases validate and store this shape; http/schemas.ts uses it as the body of
// POST /v1/requests, so validation, serialisation and the OpenAPI document come from one schema.
import { type Static, Type } from '@sinclair/typebox';

const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });

/** A string enum as one `enum` keyword: one clear error per field (a union of literals gives one per branch). */
export const StringEnum = <const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const PersonSchema = Type.Object(
  {
    familyName: Text(60),
    middleName: Type.String({ maxLength: 80 }),
    givenName: Text(60),
    position: Type.Optional(Type.String({ maxLength: 200 })),
    department: Type.Optional(Type.String({ maxLength: 200 })),
    /** Rank within the request, 1 the highest; without it the directory ranks by position. */
    rank: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description:
          'Rank within the request, 1 the highest (Kiên Giang: among namesakes the higher rank keeps the plain address); without it the directory ranks by position',
      }),
    ),
    dateOfBirth: Type.Optional(
      Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD; encrypted at rest' }),
    ),
    gender: Type.Optional(StringEnum(['male', 'female'])),
    /** 12-digit personal ID (CCCD); checked against dateOfBirth and gender. Encrypted at rest, shown masked. */
    nationalId: Type.Optional(
      Type.String({
        maxLength: 20,
        description: '12-digit personal ID (CCCD); encrypted at rest, shown masked',
      }),
    ),
    /** An old 9-digit (or 12-digit 2012–2016) CMND, kept only as a reference. */
    legacyNationalId: Type.Optional(
      Type.String({
        maxLength: 20,
        description: 'old CMND number (9 or 12 digits), a legacy reference only',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The new head of an agency mailbox (Đắk Nông Điều 13 khoản 2): the box and its address stay. */
export const HeadSchema = Type.Object(
  {
    familyName: Text(60),
    middleName: Type.Optional(Type.String({ maxLength: 80 })),
    givenName: Text(60),
    position: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/**
 * What an `update` changes, as the directory applies it. Personal mailbox: `position`,
 * `department` (directory only), `agencyId` (transfer; the address follows the rule),
 * `convertAddress` (move an address made under an older rule to the current one). Agency mailbox:
 * `head`, `convertAddress`. A unit itself is renamed by a `rename_unit` item (its `unit`), or by an
 * operator's change of the agency tree (docs/api.md).
 */
export const ChangesSchema = Type.Object(
  {
    position: Type.Optional(Type.String({ maxLength: 200 })),
    department: Type.Optional(Type.String({ maxLength: 200 })),
    agencyId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "transfer to this agency (the client's own or one of its sub-units)",
      }),
    ),
    convertAddress: Type.Optional(
      Type.Boolean({ description: 'true: move an address made under an older rule to the current rule' }),
    ),
    head: Type.Optional(HeadSchema),
  },
  { additionalProperties: false },
);
export type Changes = Static<typeof ChangesSchema>;

/** What a `rename_unit` item (Mẫu 02 for the unit itself) changes: its name and/or abbreviation. */
export const UnitChangeSchema = Type.Object(
  {
    name: Type.Optional(Text(300)),
    abbreviation: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 32,
        description:
          "the unit's new abbreviation (letters, digits, hyphens): its agency mailbox and people's addresses follow",
      }),
    ),
  },
  { additionalProperties: false },
);

export const OPERATIONS = [
  'create',
  'update',
  'suspend',
  'restore',
  'delete',
  'reset_password',
  'rename_unit',
  'dissolve_unit',
  'restore_deleted',
  'add_alias',
  'remove_alias',
  'set_forward',
  'clear_forward',
] as const;

export const ItemSchema = Type.Object(
  {
    operation: StringEnum(OPERATIONS, {
      description:
        "rename_unit and dissolve_unit act on the unit itself (agencyId, else the request's agency): Mẫu 02 renames it, Mẫu 03 dissolves it and deletes its mailboxes. restore_deleted gives the deleted mailbox `address` back with its mail before its province's purge day (retention.deletedMailDays), under a new one-time credential; refused when another mailbox holds the address",
    }),
    mailboxType: Type.Optional(StringEnum(['personal', 'agency'])),
    person: Type.Optional(PersonSchema),
    agencyId: Type.Optional(Text(100)),
    address: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    changes: Type.Optional(ChangesSchema),
    unit: Type.Optional(UnitChangeSchema),
    alias: Type.Optional(
      Type.String({
        format: 'email',
        maxLength: 254,
        description:
          "add_alias and remove_alias only: the alias of the mailbox `address`, in the mailbox's domain (an address outside the province's domains is refused where the province forbids forwarding outside state bodies: Bắc Ninh Điều 8 khoản 5)",
      }),
    ),
    forwardTo: Type.Optional(
      Type.String({
        format: 'email',
        maxLength: 254,
        description:
          "set_forward only: where the mail of the mailbox `address` is forwarded too (a copy stays in the mailbox); not the mailbox's own address, and refused outside the province's domains and gov.vn where the province forbids forwarding outside state bodies (Bắc Ninh Điều 8 khoản 5)",
      }),
    ),
    exceptionReason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description:
          'create of a personal mailbox only, where the province allows it (Đắk Nông Điều 5): why this person may hold another personal mailbox',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SubmitBodySchema = Type.Object(
  {
    agencyId: Text(100),
    requester: Type.Object(
      {
        fullName: Text(200),
        position: Type.Optional(Type.String({ maxLength: 200 })),
        phone: Type.Optional(Type.String({ maxLength: 40 })),
      },
      { additionalProperties: false },
    ),
    reference: Type.Object(
      {
        number: Text(100),
        date: Type.String({ format: 'date' }),
        decision: Type.Optional(
          Type.Object(
            {
              number: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              effectiveDate: Type.String({
                format: 'date',
                description: 'the day the decision takes effect (YYYY-MM-DD)',
              }),
            },
            {
              additionalProperties: false,
              description:
                'The decision the request rests on ("Căn cứ"): a change filed later than the province allows after it takes effect (Thanh Hóa Điều 15 khoản 3, Khánh Hòa Điều 14 khoản 4: 10 days) is accepted and flagged as lateFiling',
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    items: Type.Array(ItemSchema, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBodySchema>;

/**
 * What an item changes, as stored and sent to the directory (`changes` of item.approved): an
 * update's `changes`, a rename_unit's `unit`, an alias item's `{ alias }`, a set_forward's `{ forwardTo }`;
 * null for the others.
 */
export function itemChanges(item: SubmitBody['items'][number]): Record<string, unknown> | null {
  if (item.changes) return item.changes;
  if (item.unit) return item.unit;
  if (item.alias) return { alias: item.alias.trim().toLowerCase() };
  if (item.forwardTo) return { forwardTo: item.forwardTo.trim().toLowerCase() };
  return null;
}

// The agency API's request and answer shapes (design §3.1, binding names).
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
 * `head`, `convertAddress`. Renaming an agency is an operator's change of the agency tree
 * (docs/api.md, "update").
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

export const ItemSchema = Type.Object(
  {
    operation: StringEnum(['create', 'update', 'suspend', 'restore', 'delete', 'reset_password']),
    mailboxType: Type.Optional(StringEnum(['personal', 'agency'])),
    person: Type.Optional(PersonSchema),
    agencyId: Type.Optional(Text(100)),
    address: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    changes: Type.Optional(ChangesSchema),
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
      { number: Text(100), date: Type.String({ format: 'date' }) },
      { additionalProperties: false },
    ),
    items: Type.Array(ItemSchema, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBodySchema>;

// ---------------------------------------------------------------- route schemas (validation + OpenAPI)

const security = [{ bearerAuth: [] }];
const Uuid = Type.String({ format: 'uuid' });

export const SubmitRouteSchema = {
  summary: 'Submit a request (a form: several items, each one operation)',
  tags: ['requests'],
  security,
  headers: Type.Object({
    'idempotency-key': Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Client-chosen; the same key and body answer the same, the same key with another body is refused',
    }),
  }),
  body: SubmitBodySchema,
};

export const ListRouteSchema = {
  summary: "List the agency's own requests",
  tags: ['requests'],
  security,
  querystring: Type.Object(
    {
      status: Type.Optional(
        StringEnum([
          'received',
          'pending_approval',
          'in_progress',
          'completed',
          'partially_completed',
          'failed',
          'rejected',
        ]),
      ),
    },
    { additionalProperties: false },
  ),
};

export const ReadRouteSchema = {
  summary: 'Read one request: items, states, addresses, deadline',
  tags: ['requests'],
  security,
  params: Type.Object({ id: Uuid }),
};

export const CredentialRouteSchema = {
  summary: 'Open a one-time credential (200 the first time, 410 after)',
  tags: ['requests'],
  security,
  params: Type.Object({ id: Uuid, itemId: Uuid }),
};

export const TokenRouteSchema = {
  summary: 'OAuth 2.0 client credentials with private_key_jwt (RFC 7523)',
  tags: ['auth'],
  consumes: ['application/x-www-form-urlencoded'],
  body: Type.Object({
    grant_type: Type.String({ description: 'client_credentials' }),
    client_assertion_type: Type.Optional(
      Type.String({ description: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' }),
    ),
    client_assertion: Type.Optional(
      Type.String({
        maxLength: 8000,
        description:
          'JWT signed with the client key: iss = sub = client id, aud = token URL, exp ≤ 5 min, unique jti',
      }),
    ),
  }),
};

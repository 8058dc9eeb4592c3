// The published shape of a province policy file (docs/province-policy.schema.json is generated from
// this schema: `./hopthu policy schema`). A province's regulation as data: domains, naming,
// capacities, passwords, inactivity, SLA, approval, the copy of results, the filing deadline, planned
// downtime, forwarding, retention, and beside each
// value the article of the regulation it comes from. Pure: no file reading here.
import { type Static, type TSchema, Type } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Article = Type.String({
  minLength: 1,
  description:
    'Where the value comes from: the article of the regulation ("Điều 5 khoản 2"), or, when the text says nothing, why this value ("none in the regulation: hopthu default")',
});
const Note = Type.Optional(
  Type.String({
    description: 'Free text: the sentence of the regulation quoted, or why it is read this way',
  }),
);

const LOCAL_PART = '^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$';
const DOMAIN = '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$';
const Domain = Type.String({ pattern: DOMAIN, maxLength: 253 });
const Size = Type.String({
  pattern: '^[1-9][0-9]{0,5}(MB|GB)$',
  description: 'A size as the regulations write it: "500MB", "10GB" (binary units: 1 MB = 1024² bytes)',
});
const Address = Type.String({ pattern: `^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?@${DOMAIN.slice(1)}` });

const PersonalRuleSchema = Type.Object(
  {
    pattern: Type.Union([Type.Literal('given-initials'), Type.Literal('initials-given')], {
      description: '`given-initials`: tuanna (Thanh Hóa, Đắk Nông); `initials-given`: tvanh',
    }),
    agencyPart: Type.Boolean({ description: 'Whether `.agency` follows the name part (Khánh Hòa: no)' }),
    districtPart: Type.Boolean({ description: 'Whether staff inside a district add `.district` (Đắk Nông)' }),
    article: Article,
    note: Note,
  },
  { additionalProperties: false },
);

const UnitRuleSchema = Type.Object(
  {
    hierarchy: Type.Union([Type.Literal('nested'), Type.Literal('flat')], {
      description:
        '`nested`: sub-unit, separator, parent (`pvhtt.yendinh`); `flat`: every unit is its abbreviation',
    }),
    agencyPrefix: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9]*$',
        description:
          'A department (Sở) whose abbreviation is derived gets this prefix instead of the "s" of "Sở": An Giang writes `so<name>@` (Sở Tài chính → sotc)',
      }),
    ),
    districtName: Type.Union([Type.Literal('full-name'), Type.Literal('abbreviation')], {
      description: "A district's own box: its folded full name (`yendinh`) or abbreviation (`cl`)",
    }),
    communeName: Type.Union([Type.Literal('full-name'), Type.Literal('abbreviation')], {
      description: "A commune's or ward's name part: folded full name (`tamgiang`) or abbreviation",
    }),
    cityPrefix: Type.String({ pattern: '^[a-z0-9]*$', description: "Prefix of a city's full name: `tp`" }),
    abbreviations: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), Type.String({ pattern: '^[a-z0-9]+$' }), {
        description:
          "Abbreviations the regulation itself gives for named units (its examples), used when no abbreviation is chosen and no other rule derives them: Kiên Giang's Sở Thông tin và Truyền thông → `sttt` (Điều 4 khoản 1). Keys are unit names without the province's name",
      }),
    ),
    article: Article,
    note: Note,
  },
  { additionalProperties: false },
);

const CollisionSchema = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('numeric'),
        start: Type.Integer({ minimum: 0 }),
        rankPriority: Type.Boolean({ description: 'Higher rank keeps the plain form (Kiên Giang)' }),
        article: Article,
        note: Note,
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { kind: Type.Literal('letters'), article: Article, note: Note },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('operator'),
        start: Type.Integer({ minimum: 0 }),
        proposalCount: Type.Integer({ minimum: 1, maximum: 20 }),
        article: Article,
        note: Note,
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'On a taken address: `numeric` 1, 2, 3…; `letters` a, b, c…; `operator` decides' },
);

const NamingSchema = Type.Object(
  {
    separator: Type.Union([Type.Literal('.'), Type.Literal('_')], {
      description: "Between the levels of a unit's address: `.` or Khánh Hòa's `_`",
    }),
    separatorArticle: Article,
    personal: PersonalRuleSchema,
    units: UnitRuleSchema,
    collision: CollisionSchema,
    groupAddresses: Nullable(
      Type.Object(
        {
          province: Type.String({ pattern: LOCAL_PART }),
          agencyPrefix: Type.String({ pattern: LOCAL_PART }),
          article: Article,
          note: Note,
        },
        { additionalProperties: false },
      ),
    ),
    extraReserved: Type.Array(Type.String({ pattern: LOCAL_PART }), {
      maxItems: 1000,
      description: "Local parts nobody gets, beyond hopthu's default list (postmaster, abuse, admin…)",
    }),
    severalPersonalMailboxes: Nullable(
      Type.Object({ article: Article, note: Note }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

const CapacitiesSchema = Type.Object(
  {
    agencyMailbox: Size,
    personalMailbox: Size,
    attachment: Size,
    basis: Type.String({
      minLength: 1,
      description: 'Whether the text gives a minimum (≥), a maximum (≤) or a value',
    }),
    article: Article,
    note: Note,
  },
  { additionalProperties: false },
);

const PasswordSchema = Type.Object(
  {
    minLength: Type.Integer({ minimum: 6, maximum: 128 }),
    requireUpper: Type.Boolean(),
    requireLower: Type.Boolean(),
    requireLetter: Type.Boolean({ description: 'A letter of either case (Kiên Giang: "phần … chữ")' }),
    requireDigit: Type.Boolean(),
    requireSpecial: Type.Boolean(),
    specialCharacters: Nullable(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'The characters that count as special; null: anything not a letter or digit',
      }),
    ),
    article: Article,
    note: Note,
  },
  { additionalProperties: false },
);

const ApprovalValue = Type.Union([
  Type.Literal('auto'),
  Type.Literal('operator'),
  Type.Literal('two_operators'),
]);

const ApprovalSchema = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          operation: Type.Union([
            Type.Literal('create'),
            Type.Literal('update'),
            Type.Literal('suspend'),
            Type.Literal('restore'),
            Type.Literal('delete'),
            Type.Literal('reset_password'),
            Type.Literal('*'),
          ]),
          mailboxType: Type.Union([Type.Literal('personal'), Type.Literal('agency'), Type.Literal('*')]),
          approval: ApprovalValue,
        },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: 'First match wins; `*` matches anything' },
    ),
    fallback: ApprovalValue,
    bulkDeleteThreshold: Type.Integer({
      minimum: 0,
      maximum: 10,
      description:
        'A request deleting more mailboxes than this needs two operators for each delete (at most 10)',
    }),
    article: Article,
    note: Note,
  },
  { additionalProperties: false },
);

export const ProvincePolicyFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({
      pattern: '^[a-z]+(?:-[a-z]+)*$',
      maxLength: 64,
      description: 'kebab-case ASCII: `bac-ninh`',
    }),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Vietnamese name, NFC: `Bắc Ninh`' }),
    instrument: Type.String({
      minLength: 1,
      description: 'The regulation: `QĐ 06/2022/QĐ-UBND (12/05/2022)`',
    }),
    domain: Domain,
    aliasDomains: Type.Array(Domain, {
      maxItems: 50,
      description:
        'Initial alias domains (an absorbed province after a merger); mail to x@alias reaches x@domain',
    }),
    domainArticle: Article,
    naming: NamingSchema,
    capacities: CapacitiesSchema,
    password: PasswordSchema,
    firstLoginChange: Nullable(
      Type.Object(
        {
          onCreate: Type.Boolean({ description: "A new mailbox's issued password must be changed first" }),
          onReset: Type.Boolean({ description: 'A reissued password must be changed first' }),
          article: Article,
          note: Note,
        },
        { additionalProperties: false },
      ),
    ),
    defaultPasswordLock: Nullable(
      Type.Object(
        {
          workingDays: Type.Integer({ minimum: 1, maximum: 60 }),
          article: Article,
          note: Note,
        },
        {
          additionalProperties: false,
          description: 'A new mailbox whose issued password is unchanged is locked',
        },
      ),
    ),
    inactivity: Nullable(
      Type.Object(
        {
          months: Type.Integer({ minimum: 1, maximum: 120 }),
          action: Type.Union([Type.Literal('lock'), Type.Literal('reclaim')]),
          article: Article,
          note: Note,
          counts: Type.Optional(
            Type.Array(Type.Union([Type.Literal('login'), Type.Literal('send'), Type.Literal('receive')]), {
              minItems: 1,
              uniqueItems: true,
              description:
                'What counts as use: an IMAP login, a message sent through submission, a message delivered into the mailbox. Absent: logins only',
            }),
          ),
          reissue: Type.Optional(
            Type.Object(
              { article: Article, note: Note },
              {
                additionalProperties: false,
                description:
                  'With action reclaim: the holder may have the mailbox reissued on a new request, so a reclaimed mailbox is locked (address and mail kept) until retention.retiredAddressDays have passed, then deleted; a restore before then gives the same address back. Absent: reclaim deletes.',
              },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    sla: Type.Object(
      {
        workingDays: Type.Integer({
          minimum: 1,
          maximum: 60,
          description: 'Requests answered within this many working days',
        }),
        article: Article,
        note: Note,
      },
      { additionalProperties: false },
    ),
    approval: ApprovalSchema,
    resultCopy: Nullable(
      Type.Object(
        {
          address: Address,
          name: Type.String({ minLength: 1, description: 'Who receives it: `Sở Thông tin và Truyền thông`' }),
          article: Article,
          note: Note,
        },
        { additionalProperties: false, description: 'Who receives a copy of every result (Kiên Giang 5.3)' },
      ),
    ),
    filingDeadline: Nullable(
      Type.Object(
        {
          days: Type.Integer({ minimum: 1, maximum: 90 }),
          dayKind: Type.Union([Type.Literal('calendar'), Type.Literal('working')]),
          article: Article,
          note: Note,
        },
        {
          additionalProperties: false,
          description:
            'An agency files a personnel change within this many days of the decision taking effect; a later request is accepted, flagged and counted. null: no deadline',
        },
      ),
    ),
    plannedDowntime: Nullable(
      Type.Object(
        {
          noticeWorkingDays: Type.Integer({ minimum: 0, maximum: 30 }),
          weekendOnly: Type.Boolean({ description: 'The window lies on Saturday or Sunday only' }),
          article: Article,
          note: Note,
        },
        {
          additionalProperties: false,
          description:
            'Planned maintenance is announced to every agency mailbox this many working days ahead. null: the regulation sets no rule',
        },
      ),
    ),
    forwarding: Nullable(
      Type.Object(
        { article: Article, note: Note },
        {
          additionalProperties: false,
          description:
            "No forwarding from an official mailbox to an address outside the province's domains (Bắc Ninh 8.5). null: no rule",
        },
      ),
    ),
    agencyHandover: Nullable(
      Type.Object(
        { article: Article, note: Note },
        {
          additionalProperties: false,
          description:
            "When an agency's head changes (Mẫu 02 with changes.head), the agency mailbox's password is reset and the successor's filer receives the one-time credential (Đắk Nông 13.2). null: the change of head is recorded, the password is kept",
        },
      ),
    ),
    retention: Type.Object(
      {
        deletedMailDays: Type.Integer({
          minimum: 0,
          maximum: 3650,
          description: "Full days a deleted mailbox's mail is kept",
        }),
        retiredAddressDays: Type.Integer({
          minimum: 0,
          maximum: 3650,
          description:
            'Days a retired address is held back from reuse after its mailbox is gone or its forwarding ends',
        }),
        article: Article,
        note: Note,
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    title: 'hopthu province policy',
    description: "A province's regulation on official e-mail as data (docs/provinces.md)",
  },
);

export type ProvincePolicyFile = Static<typeof ProvincePolicyFileSchema>;

/** The schema as published (docs/province-policy.schema.json): JSON Schema draft 2020-12. */
export function publishedProvincePolicySchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(ProvincePolicyFileSchema)) as Record<string, unknown>),
  };
}

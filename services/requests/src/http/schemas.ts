// The agency API's request and answer shapes (design §3.1, binding names).
import { type Static, Type } from '@sinclair/typebox';

const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });

export const PersonSchema = Type.Object(
  {
    familyName: Text(60),
    middleName: Type.String({ maxLength: 80 }),
    givenName: Text(60),
    position: Type.Optional(Type.String({ maxLength: 200 })),
    department: Type.Optional(Type.String({ maxLength: 200 })),
    dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
    gender: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female')])),
    nationalId: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  },
  { additionalProperties: false },
);

export const ItemSchema = Type.Object(
  {
    operation: Type.Union(
      ['create', 'update', 'suspend', 'restore', 'delete', 'reset_password'].map((o) => Type.Literal(o)),
    ),
    mailboxType: Type.Optional(Type.Union([Type.Literal('personal'), Type.Literal('agency')])),
    person: Type.Optional(PersonSchema),
    agencyId: Type.Optional(Text(100)),
    address: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    changes: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 200 }))),
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

// The agency API's route schemas (validation + OpenAPI). The submitted form's shape is the
// domain's (domain/requests/submission.ts).
import { Type } from '@sinclair/typebox';
import { StringEnum, SubmitBodySchema } from '../domain/requests/submission.ts';

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

export const AgenciesRouteSchema = {
  summary: 'List the acting agency and its sub-units (the ids a request may name)',
  tags: ['agencies'],
  security,
  response: {
    200: Type.Object({
      items: Type.Array(
        Type.Object({
          id: Type.String({ description: 'The id to use as agencyId in a request or an item' }),
          name: Type.String(),
          abbreviation: Type.String(),
          parentId: Type.Union([Type.String(), Type.Null()]),
          province: Type.String(),
          domain: Type.String(),
          officialMailbox: Type.Union([Type.String(), Type.Null()]),
          acting: Type.Boolean({ description: 'true for the agency the token acts for' }),
        }),
      ),
    }),
  },
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

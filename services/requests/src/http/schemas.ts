// The agency API's route schemas (validation + OpenAPI). The submitted form's shape is the
// domain's (domain/requests/submission.ts).
import { Type } from '@sinclair/typebox';
import { OPERATIONS, StringEnum, SubmitBodySchema } from '../domain/requests/submission.ts';

// ---------------------------------------------------------------- route schemas (validation + OpenAPI)

const security: Record<string, string[]>[] = [{ agencyOAuth: [] }, { agencyBearer: [] }];
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
  querystring: Type.Object({
    wait: Type.Optional(
      Type.String({
        pattern: '^(?:[0-9]|[12][0-9]|30)$',
        description:
          'Long-poll: answer once the request has finished, or after this many seconds (0 to 30), whichever is first',
      }),
    ),
  }),
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

// ---------------------------------------------------------------- documented answers and examples
// (config.openapi: described in /docs only; the routes' behaviour does not depend on them)

const ItemStatus = StringEnum([
  'pending_approval',
  'approved',
  'in_progress',
  'completed',
  'failed',
  'rejected',
]);
const RequestStatus = StringEnum([
  'received',
  'pending_approval',
  'in_progress',
  'completed',
  'partially_completed',
  'failed',
  'rejected',
]);
const Operation = StringEnum(OPERATIONS);
const json = (schema: unknown, example: unknown) => ({
  content: { 'application/json': { schema, example } },
});
const problem = (description: string, code: string, vi: string, en: string, status: number) => ({
  description,
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/Problem' },
      example: {
        type: `https://hopthu.dev/problems/${code.replaceAll('_', '-')}`,
        title: en,
        status,
        detail: `${vi} / ${en}`,
        code,
        message: { vi, en },
      },
    },
  },
});

/** Filed later than the province allows after its decision (reference.decision): accepted, flagged. */
const LateFilingSchema = Type.Object(
  {
    daysAfterDecision: Type.Integer(),
    limitDays: Type.Integer(),
    dayKind: Type.String({ enum: ['calendar', 'working'] }),
    article: Type.String({ description: 'the article of the province regulation: `Điều 15 khoản 3`' }),
  },
  {
    description:
      'Present when the change was filed later than the province allows after its decision took effect (Thanh Hóa Điều 15 khoản 3, Khánh Hòa Điều 14 khoản 4)',
  },
);

const AcceptedSchema = Type.Object({
  id: Uuid,
  status: RequestStatus,
  dueAt: Type.String({
    format: 'date-time',
    description: '24:00 of the last working day, written as 00:00 of the next',
  }),
  dueConfirmed: Type.Boolean({
    description: 'false while the deadline crosses a year without an official holiday notice',
  }),
  lateFiling: Type.Optional(LateFilingSchema),
  items: Type.Array(Type.Object({ id: Uuid, operation: Operation, status: ItemStatus })),
});

const RequestViewSchema = Type.Object({
  id: Uuid,
  status: RequestStatus,
  dueAt: Type.String({ format: 'date-time' }),
  lateFiling: Type.Optional(LateFilingSchema),
  items: Type.Array(
    Type.Object({
      id: Uuid,
      operation: Operation,
      status: ItemStatus,
      address: Type.Optional(Type.String({ format: 'email' })),
      credentialUrl: Type.Optional(
        Type.String({ format: 'uri', description: 'opened once by the agency client' }),
      ),
      reason: Type.Optional(
        Type.String({ description: "the request's reason, or why the item failed or was rejected" }),
      ),
    }),
  ),
});

const requester = { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' };
const AGENCY = '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';

export const SubmitRouteDocs = {
  openapi: {
    bodyExamples: {
      mau01_create: {
        summary: 'Mẫu 01: a personal mailbox for a new civil servant',
        value: {
          agencyId: AGENCY,
          requester,
          reference: { number: '123/STTTT-VP', date: '2026-11-20' },
          items: [
            {
              operation: 'create',
              mailboxType: 'personal',
              person: {
                familyName: 'Trần',
                middleName: 'Văn',
                givenName: 'Anh',
                position: 'Chuyên viên',
                department: 'Phòng Công nghệ thông tin',
              },
            },
          ],
        },
      },
      mau02_change: {
        summary: 'Mẫu 02: a civil servant changes position (the address stays)',
        value: {
          agencyId: AGENCY,
          requester,
          reference: { number: '124/STTTT-VP', date: '2026-11-21' },
          items: [
            {
              operation: 'update',
              mailboxType: 'personal',
              address: 'tvanh.stttt@bacninh.gov.vn',
              changes: { position: 'Phó Trưởng phòng' },
              reason: 'Quyết định bổ nhiệm số 45/QĐ-STTTT',
            },
          ],
        },
      },
      mau02_rename_unit: {
        summary: 'Mẫu 02 for the unit itself: a sub-unit renamed (one operator approves; addresses follow)',
        value: {
          agencyId: AGENCY,
          requester,
          reference: { number: '126/STTTT-VP', date: '2026-11-23' },
          items: [
            {
              operation: 'rename_unit',
              agencyId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
              unit: { name: 'Trung tâm Chuyển đổi số', abbreviation: 'ttcds' },
              reason: 'Quyết định số 12/QĐ-UBND ngày 20/11/2026',
            },
          ],
        },
      },
      mau03_dissolve_unit: {
        summary:
          'Mẫu 03 for the unit itself: a sub-unit dissolved, its mailboxes deleted (two operators approve)',
        value: {
          agencyId: AGENCY,
          requester,
          reference: { number: '127/STTTT-VP', date: '2026-11-24' },
          items: [
            {
              operation: 'dissolve_unit',
              agencyId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
              reason: 'Quyết định số 13/QĐ-UBND ngày 21/11/2026 giải thể đơn vị',
            },
          ],
        },
      },
      add_alias: {
        summary:
          "An alias of a mailbox (mail to it reaches the mailbox); outside the province's domains refused where the province forbids it (Bắc Ninh Điều 8 khoản 5)",
        value: {
          agencyId: AGENCY,
          requester,
          reference: { number: '128/STTTT-VP', date: '2026-11-25' },
          items: [
            {
              operation: 'add_alias',
              address: 'tvanh.stttt@bacninh.gov.vn',
              alias: 'motcua.stttt@bacninh.gov.vn',
              reason: 'Địa chỉ tiếp nhận hồ sơ một cửa',
            },
          ],
        },
      },
      set_forward: {
        summary:
          "Forward a mailbox's mail to another address too, a copy kept (clear_forward ends it); outside the province's domains and gov.vn refused where the province forbids it (Bắc Ninh Điều 8 khoản 5)",
        value: {
          agencyId: AGENCY,
          requester,
          reference: { number: '129/STTTT-VP', date: '2026-11-25' },
          items: [
            {
              operation: 'set_forward',
              address: 'tvanh.stttt@bacninh.gov.vn',
              forwardTo: 'vanthu.stttt@bacninh.gov.vn',
              reason: 'Cán bộ đi học, văn thư nhận thay',
            },
          ],
        },
      },
      suspend: {
        summary: 'Suspend a mailbox (leave of absence)',
        value: {
          agencyId: AGENCY,
          requester,
          reference: { number: '125/STTTT-VP', date: '2026-11-22' },
          items: [
            {
              operation: 'suspend',
              mailboxType: 'personal',
              address: 'tvanh.stttt@bacninh.gov.vn',
              reason: 'Nghỉ phép dài hạn',
            },
          ],
        },
      },
    },
    responses: {
      202: {
        description: 'Accepted: stored, approval run; Location names the request',
        headers: { location: { type: 'string', description: '/v1/requests/{id}' } },
        ...json(AcceptedSchema, {
          id: '4c0f8a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6',
          status: 'in_progress',
          dueAt: '2026-11-25T00:00:00+07:00',
          dueConfirmed: true,
          items: [{ id: '9a1e2b3c-4d5e-4f60-8a7b-c8d9e0f1a2b3', operation: 'create', status: 'approved' }],
        }),
      },
      422: problem(
        'The same Idempotency-Key was used with another body',
        'idempotency_conflict',
        'Khóa Idempotency-Key đã dùng cho một nội dung khác',
        'The Idempotency-Key was used with another body',
        422,
      ),
    },
  },
};

export const ReadRouteDocs = {
  openapi: {
    responses: {
      200: {
        description: 'The request and each item: state, address, one-time credential link, reason',
        ...json(RequestViewSchema, {
          id: '4c0f8a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6',
          status: 'completed',
          dueAt: '2026-11-25T00:00:00+07:00',
          items: [
            {
              id: '9a1e2b3c-4d5e-4f60-8a7b-c8d9e0f1a2b3',
              operation: 'create',
              status: 'completed',
              address: 'tvanh.stttt@bacninh.gov.vn',
              credentialUrl:
                'http://127.0.0.1:3001/v1/requests/4c0f8a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6/items/9a1e2b3c-4d5e-4f60-8a7b-c8d9e0f1a2b3/credential',
            },
          ],
        }),
      },
    },
  },
};

export const ListRouteDocs = {
  openapi: {
    responses: {
      200: {
        description: "The agency's own requests, newest first",
        ...json(Type.Object({ items: Type.Array(RequestViewSchema) }), { items: [] }),
      },
    },
  },
};

export const RequestCredentialsRouteSchema = {
  summary: "Open every one-time credential of the request's completed items at once (each only once)",
  tags: ['requests'],
  security,
  params: Type.Object({ id: Uuid }),
};

export const RequestCredentialsRouteDocs = {
  openapi: {
    responses: {
      200: {
        description:
          'The address and password of each completed item not opened before; each is erased as it is returned',
        ...json(
          Type.Object({
            credentials: Type.Array(
              Type.Object({
                itemId: Type.String({ format: 'uuid' }),
                address: Type.Union([Type.String({ format: 'email' }), Type.Null()]),
                password: Type.String(),
              }),
            ),
          }),
          {
            credentials: [
              {
                itemId: '9a1e3b5c-7d9f-4a1b-8c2d-3e4f5a6b7c8d',
                address: 'tvanh.stttt@bacninh.gov.vn',
                password: '(shown once)',
              },
            ],
          },
        ),
      },
    },
  },
};

export const CredentialRouteDocs = {
  openapi: {
    responses: {
      200: {
        description: 'The address and its password, the first time only',
        ...json(Type.Object({ address: Type.String({ format: 'email' }), password: Type.String() }), {
          address: 'tvanh.stttt@bacninh.gov.vn',
          password: '(shown once)',
        }),
      },
      410: problem(
        'Already opened, or expired',
        'gone',
        'Mật khẩu đã được lấy hoặc đã hết hạn',
        'The credential was already opened or has expired',
        410,
      ),
    },
  },
};

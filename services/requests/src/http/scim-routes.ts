// SCIM 2.0 (RFC 7643/7644) at /scim/v2 for agencies' identity providers (docs/scim.md): discovery,
// Users (a person and their personal mailbox, changed through the agency's own request path) and
// Groups (the agency tree, read-only). Bearer: a SCIM token an operator issued to the agency's API
// client, or the client's OAuth access token; limited per client like the agency API. Every
// refusal is a SCIM error (application/scim+json, `detail` in Vietnamese and English).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { decodeUtf8Json, toAppError } from '@hopthu/shared/http';
import { internalError } from '@hopthu/shared/errors';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AuthDeps } from '../domain/auth/issue-access-token.ts';
import type { Principal } from '../domain/auth/verify-access-token.ts';
import type { SubmitDeps } from '../domain/requests/submit-request.ts';
import { patchScimUser, replaceScimUser } from '../domain/scim/change-scim-user.ts';
import { createScimUser } from '../domain/scim/create-scim-user.ts';
import { deleteScimUser } from '../domain/scim/delete-scim-user.ts';
import { groupsAreReadOnly, listScimGroupResources, readScimGroup } from '../domain/scim/read-scim-groups.ts';
import { listScimUserResources, readScimUser } from '../domain/scim/read-scim-users.ts';
import type { ScimDeps } from '../domain/scim/scim-context.ts';
import {
  resourceTypeDocuments,
  schemaDocuments,
  serviceProviderConfig,
} from '../domain/scim/scim-discovery.ts';
import { SCIM_ERROR_SCHEMA, scimError, toScimError } from '../domain/scim/scim-errors.ts';
import { listAnswer } from '../domain/scim/scim-list.ts';
import { authenticateScim } from '../domain/scim/scim-tokens.ts';
import type { HttpApp } from '@hopthu/shared/http';
import { limitPerClient } from './rate-limits.ts';

const SCIM_JSON = 'application/scim+json; charset=utf-8';
const tags = ['scim'];

const ListQuery = Type.Object({
  filter: Type.Optional(
    Type.String({ maxLength: 2000, description: 'RFC 7644 §3.4.2.2, e.g. userName eq "tvanh"' }),
  ),
  startIndex: Type.Optional(
    Type.String({ pattern: '^-?[0-9]{1,9}$', description: '1-based index of the first result' }),
  ),
  count: Type.Optional(
    Type.String({ pattern: '^-?[0-9]{1,9}$', description: 'results per page (at most 200)' }),
  ),
  attributes: Type.Optional(Type.String({ maxLength: 2000 })),
  excludedAttributes: Type.Optional(Type.String({ maxLength: 2000 })),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const IdOnlyParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
/** SCIM bodies are read by the use cases (attribute names ignore case); the schema only says JSON object. */
const ScimBody = Type.Object(
  { schemas: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 10 }) },
  { additionalProperties: true, description: 'A SCIM resource or PatchOp message (RFC 7644)' },
);
/** How SCIM refuses, in the OpenAPI document: the SCIM error message, not problem+json. */
const ScimErrorSchema = {
  type: 'object',
  required: ['schemas', 'status'],
  properties: {
    schemas: { type: 'array', items: { type: 'string', enum: [SCIM_ERROR_SCHEMA] } },
    status: { type: 'string', description: 'the HTTP status, as a string' },
    scimType: { type: 'string', description: 'RFC 7644 §3.12, e.g. invalidValue, invalidFilter, uniqueness' },
    detail: { type: 'string', description: 'Vietnamese, then English, each failing attribute named' },
  },
};
const SCIM_ERRORS: Record<string, [string, string | undefined, string, string]> = {
  400: [
    'Invalid input',
    'invalidValue',
    'Người dùng SCIM không hợp lệ; name.familyName: Bắt buộc',
    'The SCIM user is invalid; name.familyName: required',
  ],
  401: [
    'No valid SCIM token or access token',
    undefined,
    'Mã SCIM không hợp lệ hoặc đã bị thu hồi',
    'The SCIM token is invalid or revoked',
  ],
  403: ['Groups are read-only', undefined, 'Nhóm chỉ đọc qua SCIM', 'Groups are read-only over SCIM'],
  404: [
    "Not found (another agency's looks the same)",
    undefined,
    'Không tìm thấy người dùng',
    'User not found',
  ],
  409: [
    'userName taken, or the mailbox not created yet',
    'uniqueness',
    'userName "anh.tran" đã có trong cơ quan',
    'userName "anh.tran" already exists in the agency',
  ],
  412: [
    'If-Match names an old version',
    undefined,
    'Người dùng đã thay đổi kể từ phiên bản đã đọc (If-Match); hãy đọc lại',
    'The user changed since the version read (If-Match); read it again',
  ],
  429: [
    'Over the client rate limit',
    undefined,
    'Quá nhiều yêu cầu, hãy thử lại sau 1 minute',
    'Too many requests, try again in 1 minute',
  ],
  500: ['Internal error', undefined, 'Lỗi nội bộ của hệ thống', 'Internal error'],
};
const scimDocs = {
  openapi: {
    responses: Object.fromEntries(
      Object.entries(SCIM_ERRORS).map(([status, [description, scimType, vi, en]]) => [
        status,
        {
          description,
          content: {
            'application/scim+json': {
              schema: ScimErrorSchema,
              example: {
                schemas: [SCIM_ERROR_SCHEMA],
                status,
                ...(scimType ? { scimType } : {}),
                detail: `${vi} / ${en}`,
              },
            },
          },
        },
      ]),
    ),
  },
};
const ifMatchOf = (request: FastifyRequest) => {
  const h = request.headers['if-match'];
  return typeof h === 'string' ? h : undefined;
};

function sendResource(reply: FastifyReply, resource: Record<string, unknown>, status = 200) {
  const meta = resource.meta as { version?: string; location?: string } | undefined;
  if (meta?.version) reply.header('etag', meta.version);
  if (status === 201 && meta?.location) reply.header('location', meta.location);
  return reply.status(status).type(SCIM_JSON).send(resource);
}

export function registerScimRoutes(
  app: HttpApp,
  deps: {
    db: Kysely<Database>;
    auth: Pick<AuthDeps, 'tokenUrl' | 'tokenKeys' | 'clock'>;
    perMinute: number;
    submit: SubmitDeps;
    publicUrl: string;
  },
) {
  const base = `${deps.publicUrl.replace(/\/+$/, '')}/scim/v2`;
  const scimDeps: ScimDeps = { submit: deps.submit, base };
  const docs = `${deps.publicUrl.replace(/\/+$/, '')}/docs`;

  app.register(
    async (plugin) => {
      const scim = plugin.withTypeProvider<TypeBoxTypeProvider>();
      scim.decorateRequest('principal', null as unknown as Principal);
      const principal = (request: FastifyRequest) => request.principal;
      // SCIM's own media type (RFC 7644 §3.1), decoded as strictly as application/json
      scim.addContentTypeParser('application/scim+json', { parseAs: 'buffer' }, (_request, body, done) => {
        try {
          done(null, decodeUtf8Json(body as Buffer));
        } catch (err) {
          done(err as Error, undefined);
        }
      });
      scim.setErrorHandler((error, request, reply) => {
        let appError = toAppError(error as Error);
        if (!appError) {
          request.log.error({ err: error, correlationId: request.id }, 'unhandled error');
          appError = internalError();
        } else if (appError.status >= 500)
          request.log.error({ err: error, correlationId: request.id }, 'request failed');
        return reply.status(appError.status).type(SCIM_JSON).send(toScimError(appError));
      });
      scim.setNotFoundHandler((_request, reply) =>
        reply
          .status(404)
          .type(SCIM_JSON)
          .send(toScimError(scimError(404, undefined, { vi: 'Không tìm thấy', en: 'Not found' }))),
      );
      scim.addHook('onRequest', async (request) => {
        // the rate limit below counts per client: the principal is what it keys on
        request.principal = await authenticateScim(deps, { authorization: request.headers.authorization });
      });
      await limitPerClient(plugin as never, deps.perMinute);

      scim.get(
        '/ServiceProviderConfig',
        { config: scimDocs, schema: { summary: 'What the SCIM endpoint supports (RFC 7644 §4)', tags } },
        async (_request, reply) => reply.type(SCIM_JSON).send(serviceProviderConfig(base, `${docs}`)),
      );
      scim.get(
        '/ResourceTypes',
        {
          config: scimDocs,
          schema: { summary: 'The SCIM resource types: User and Group', tags, querystring: ListQuery },
        },
        async (request, reply) =>
          reply.type(SCIM_JSON).send(listAnswer(resourceTypeDocuments(base), request.query)),
      );
      scim.get(
        '/ResourceTypes/:id',
        { config: scimDocs, schema: { summary: 'One SCIM resource type', tags, params: IdOnlyParams } },
        async (request, reply) => {
          const found = resourceTypeDocuments(base).find((r) => r.id === request.params.id);
          if (!found)
            throw scimError(404, undefined, {
              vi: 'Không có loại tài nguyên này',
              en: 'No such resource type',
            });
          return reply.type(SCIM_JSON).send(found);
        },
      );
      scim.get(
        '/Schemas',
        {
          config: scimDocs,
          schema: {
            summary: 'The SCIM schemas hopthu supports, with each attribute',
            tags,
            querystring: ListQuery,
          },
        },
        async (request, reply) =>
          reply.type(SCIM_JSON).send(listAnswer(schemaDocuments(base), request.query)),
      );
      scim.get(
        '/Schemas/:id',
        { config: scimDocs, schema: { summary: 'One SCIM schema', tags, params: IdOnlyParams } },
        async (request, reply) => {
          const found = schemaDocuments(base).find((s) => s.id === request.params.id);
          if (!found) throw scimError(404, undefined, { vi: 'Không có lược đồ này', en: 'No such schema' });
          return reply.type(SCIM_JSON).send(found);
        },
      );

      scim.get(
        '/Users',
        {
          config: scimDocs,
          schema: { summary: "The agency's SCIM users, filtered and paged", tags, querystring: ListQuery },
        },
        async (request, reply) =>
          reply
            .type(SCIM_JSON)
            .send(
              await listScimUserResources(scimDeps, { principal: principal(request), query: request.query }),
            ),
      );
      scim.post(
        '/Users',
        {
          config: scimDocs,
          schema: {
            summary: "Create a user: a create request for the person's personal mailbox",
            tags,
            body: ScimBody,
          },
        },
        async (request, reply) =>
          sendResource(
            reply,
            await createScimUser(scimDeps, { principal: principal(request), body: request.body }),
            201,
          ),
      );
      scim.get(
        '/Users/:id',
        {
          config: scimDocs,
          schema: { summary: 'One SCIM user, with its mailbox address and state', tags, params: IdParams },
        },
        async (request, reply) => {
          const resource = await readScimUser(scimDeps, {
            principal: principal(request),
            id: request.params.id,
          });
          const version = (resource.meta as { version: string }).version;
          if (request.headers['if-none-match'] === version)
            return reply.status(304).header('etag', version).send();
          return sendResource(reply, resource);
        },
      );
      scim.put(
        '/Users/:id',
        {
          config: scimDocs,
          schema: {
            summary: 'Replace a SCIM user (job, department, agency, active)',
            tags,
            params: IdParams,
            body: ScimBody,
          },
        },
        async (request, reply) =>
          sendResource(
            reply,
            await replaceScimUser(scimDeps, {
              principal: principal(request),
              id: request.params.id,
              ifMatch: ifMatchOf(request),
              body: request.body,
            }),
          ),
      );
      scim.patch(
        '/Users/:id',
        {
          config: scimDocs,
          schema: {
            summary: 'Patch a SCIM user (active false suspends, true restores)',
            tags,
            params: IdParams,
            body: ScimBody,
          },
        },
        async (request, reply) =>
          sendResource(
            reply,
            await patchScimUser(scimDeps, {
              principal: principal(request),
              id: request.params.id,
              ifMatch: ifMatchOf(request),
              body: request.body,
            }),
          ),
      );
      scim.delete(
        '/Users/:id',
        {
          config: scimDocs,
          schema: {
            summary: "Delete a SCIM user: a delete request for the person's mailbox",
            tags,
            params: IdParams,
          },
        },
        async (request, reply) => {
          await deleteScimUser(scimDeps, {
            principal: principal(request),
            id: request.params.id,
            ifMatch: ifMatchOf(request),
          });
          return reply.status(204).send();
        },
      );

      scim.get(
        '/Groups',
        {
          config: scimDocs,
          schema: { summary: 'The agency and its sub-units as SCIM groups', tags, querystring: ListQuery },
        },
        async (request, reply) =>
          reply
            .type(SCIM_JSON)
            .send(
              await listScimGroupResources(scimDeps, { principal: principal(request), query: request.query }),
            ),
      );
      scim.get(
        '/Groups/:id',
        {
          config: scimDocs,
          schema: {
            summary: 'One agency or sub-unit as a SCIM group, with its users',
            tags,
            params: IdParams,
          },
        },
        async (request, reply) =>
          sendResource(
            reply,
            await readScimGroup(scimDeps, { principal: principal(request), id: request.params.id }),
          ),
      );
      const readOnly = async () => {
        throw groupsAreReadOnly();
      };
      scim.post(
        '/Groups',
        { config: scimDocs, schema: { summary: 'Refused: groups are read-only', tags, body: ScimBody } },
        readOnly,
      );
      scim.put(
        '/Groups/:id',
        {
          config: scimDocs,
          schema: { summary: 'Refused: groups are read-only', tags, params: IdParams, body: ScimBody },
        },
        readOnly,
      );
      scim.patch(
        '/Groups/:id',
        {
          config: scimDocs,
          schema: { summary: 'Refused: groups are read-only', tags, params: IdParams, body: ScimBody },
        },
        readOnly,
      );
      scim.delete(
        '/Groups/:id',
        { config: scimDocs, schema: { summary: 'Refused: groups are read-only', tags, params: IdParams } },
        readOnly,
      );
    },
    { prefix: '/scim/v2' },
  );
}

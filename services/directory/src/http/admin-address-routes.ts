// Operator routes (ADMIN_TOKEN) for addresses that are not mailboxes: aliases, group addresses,
// reserved and retired addresses. Agency changes are in admin-agency-routes.ts.
import { AppError } from '@hopthu/shared/errors';
import { actorOf, type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import { listAliases, listRetiredAddresses } from '../db/address-repository.ts';
import { isUuid } from '../db/agency-repository.ts';
import { listGroups } from '../db/group-repository.ts';
import { addAlias, removeAlias } from '../domain/aliases/manage-aliases.ts';
import type { DirectoryDeps } from '../domain/deps.ts';
import { reserveAddress } from '../domain/directory/reserve-address.ts';
import {
  changeGroupSenders,
  createGroup,
  deleteGroup,
  describeGroupById,
  syncGroupById,
} from '../domain/groups/manage-groups.ts';

const Id = Type.Object({ id: Type.String() });
const Senders = Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { maxItems: 100 });

export function registerAdminAddressRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  const onRequest = requireAdminToken(deps.adminToken);

  app.get(
    '/admin/aliases',
    {
      onRequest,
      schema: {
        summary: "Aliases of the province's mailboxes",
        tags: ['addresses'],
        querystring: Type.Object({
          mailboxId: Type.Optional(Type.String({ format: 'uuid' })),
          domain: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const rows = await listAliases(deps.db, request.query, deps.clock.now());
      return {
        items: rows.map((a) => ({
          id: a.id,
          address: a.address,
          mailboxId: a.mailboxId,
          kind: a.kind,
          expiresAt: a.expiresAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/admin/aliases',
    {
      onRequest,
      schema: {
        summary: 'Give a mailbox an alias (a role address such as noc@)',
        tags: ['addresses'],
        body: Type.Object(
          {
            address: Type.String({ minLength: 3, maxLength: 254 }),
            mailboxId: Type.String({ format: 'uuid' }),
            expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addAlias(deps, { ...request.body, actor: actorOf(request) })),
  );

  app.delete(
    '/admin/aliases/:address',
    {
      onRequest,
      schema: {
        summary: 'Remove an alias',
        tags: ['addresses'],
        params: Type.Object({ address: Type.String({ maxLength: 254 }) }),
      },
    },
    async (request) => removeAlias(deps, { address: request.params.address, actor: actorOf(request) }),
  );

  app.get(
    '/admin/groups',
    {
      onRequest,
      schema: {
        summary: 'Group (distribution) addresses',
        tags: ['groups'],
        querystring: Type.Object({ province: Type.Optional(Type.String()) }),
      },
    },
    async (request) => ({
      items: (await listGroups(deps.db, request.query)).map((g) => ({
        id: g.id,
        address: g.address,
        province: g.province,
        kind: g.kind,
        agencyId: g.agencyId,
        allowedSenders: g.allowedSenders,
        generation: g.generation,
      })),
    }),
  );

  app.post(
    '/admin/groups',
    {
      onRequest,
      schema: {
        summary: 'Create a group address with its members',
        tags: ['groups'],
        body: Type.Object(
          {
            province: Type.String({ minLength: 1, maxLength: 64 }),
            kind: Type.Union([Type.Literal('province'), Type.Literal('agency')]),
            agencyId: Type.Optional(Type.String({ format: 'uuid' })),
            allowedSenders: Senders,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createGroup(deps, { ...request.body, actor: actorOf(request) })),
  );

  app.get(
    '/admin/groups/:id',
    {
      onRequest,
      schema: { summary: 'A group with its members and allowed senders', tags: ['groups'], params: Id },
    },
    async (request) => {
      mustBeUuid(request.params.id);
      return describeGroupById(deps, { id: request.params.id });
    },
  );

  app.put(
    '/admin/groups/:id/allowed-senders',
    {
      onRequest,
      schema: {
        summary: 'Set who may send to a group',
        tags: ['groups'],
        params: Id,
        body: Type.Object({ allowedSenders: Senders }, { additionalProperties: false }),
      },
    },
    async (request) => {
      mustBeUuid(request.params.id);
      return changeGroupSenders(deps, {
        groupId: request.params.id,
        allowedSenders: request.body.allowedSenders,
        actor: actorOf(request),
      });
    },
  );

  app.post(
    '/admin/groups/:id/sync',
    { onRequest, schema: { summary: "Recompute a group's members now", tags: ['groups'], params: Id } },
    async (request) => {
      mustBeUuid(request.params.id);
      return syncGroupById(deps, request.params.id, actorOf(request));
    },
  );

  app.delete(
    '/admin/groups/:id',
    { onRequest, schema: { summary: 'Delete a group address', tags: ['groups'], params: Id } },
    async (request) => {
      mustBeUuid(request.params.id);
      return deleteGroup(deps, { groupId: request.params.id, actor: actorOf(request) });
    },
  );

  app.post(
    '/admin/reserved-addresses',
    {
      onRequest,
      schema: {
        summary: 'Reserve an address so nobody is given it',
        tags: ['addresses'],
        body: Type.Object(
          {
            address: Type.String({ minLength: 3, maxLength: 254 }),
            reason: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.status(201).send(await reserveAddress(deps, request.body)),
  );

  app.get(
    '/admin/retired-addresses',
    {
      onRequest,
      schema: {
        summary: 'Retired addresses and until when each is held back',
        tags: ['addresses'],
        querystring: Type.Object({ domain: Type.Optional(Type.String()) }),
      },
    },
    async (request) => ({ items: await listRetiredAddresses(deps.db, request.query, deps.clock.now()) }),
  );
}

function mustBeUuid(id: string) {
  if (!isUuid(id)) throw new AppError('not_found', { vi: 'Không có nhóm này', en: 'No such group' });
}

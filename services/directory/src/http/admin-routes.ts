// Operator routes (ADMIN_TOKEN): register agencies, see and answer address decisions, read a
// mailbox's history and the reserved addresses.
import { AppError } from '@hopthu/shared/errors';
import { actorOf, type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import { isLegacyMailbox } from '../db/import-repository.ts';
import { listReservedAddresses } from '../db/address-repository.ts';
import { isUuid, listAgencies } from '../db/agency-repository.ts';
import { listHistory } from '../db/history-repository.ts';
import { findMailboxActivity } from '../db/inactivity-repository.ts';
import { findMailboxById } from '../db/mailbox-repository.ts';
import { registerAgency } from '../domain/agencies/register-agency.ts';
import { decideAddress, listPendingDecisions } from '../domain/decisions/decide-address.ts';
import type { DirectoryDeps } from '../domain/deps.ts';
import { buildAgencyState, buildMailboxState } from '../domain/mailboxes/directory-state.ts';
import { registerAdminAgencyRoutes } from './admin-agency-routes.ts';

const RegisterAgencyBody = Type.Object(
  {
    province: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    abbreviation: Type.String({ minLength: 1, maxLength: 32 }),
    unitType: Type.String({ minLength: 1, maxLength: 32 }),
    parentId: Type.Optional(Type.String({ format: 'uuid' })),
    unitCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    mailboxName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    officialMailboxPasswordHash: Type.Optional(Type.String({ minLength: 10, maxLength: 300 })),
  },
  { additionalProperties: false },
);

export function registerAdminRoutes(app: HttpApp, deps: DirectoryDeps & { adminToken: string | undefined }) {
  const onRequest = requireAdminToken(deps.adminToken);
  registerAdminAgencyRoutes(app, deps);

  app.post(
    '/admin/agencies',
    {
      onRequest,
      schema: {
        summary: 'Register an agency or unit with its agency mailbox (409 when the abbreviation is taken)',
        tags: ['agencies'],
        body: RegisterAgencyBody,
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const result = await registerAgency(deps, {
        ...request.body,
        idempotencyKey: typeof key === 'string' && key !== '' ? key : undefined,
        actor: actorOf(request),
      });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/admin/agencies',
    {
      onRequest,
      schema: {
        summary: 'The agency tree of a province with unit codes and valid-from dates',
        tags: ['agencies'],
        querystring: Type.Object({ province: Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const agencies = await listAgencies(deps.db, { province: request.query.province });
      const items = [];
      for (const agency of agencies) {
        items.push({
          ...(await buildAgencyState(deps.db, agency.id)),
          unitCode: agency.unitCode,
          officialMailboxId: agency.officialMailboxId,
          validFrom: agency.validFrom.toISOString(),
          dissolvedAt: agency.dissolvedAt?.toISOString() ?? null,
        });
      }
      return { items };
    },
  );

  app.get(
    '/admin/decisions',
    {
      schema: {
        summary: "Items waiting for an operator's choice of address, with candidates",
        tags: ['decisions'],
      },
      onRequest,
    },
    async () => ({ items: await listPendingDecisions(deps) }),
  );

  app.post(
    '/admin/decisions/:id',
    {
      onRequest,
      schema: {
        summary: 'Continue an item with the address the operator chose',
        tags: ['decisions'],
        params: Type.Object({ id: Type.String() }),
        body: Type.Object(
          { address: Type.String({ minLength: 3, maxLength: 254 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      decideAddress(deps, {
        decisionId: request.params.id,
        address: request.body.address,
        actor: actorOf(request),
      }),
  );

  const mailboxParams = { params: Type.Object({ id: Type.String() }) };
  app.get(
    '/admin/mailboxes/:id',
    {
      onRequest,
      schema: { ...mailboxParams, summary: "A mailbox's current published state", tags: ['mailboxes'] },
    },
    async (request) => {
      await mustExist(deps, request.params.id);
      const activity = await findMailboxActivity(deps.db, request.params.id);
      // the published state, plus what only operators see: the last use the mail server reported,
      // and whether the address was imported off the province's rule (legacy, convertible)
      return {
        ...(await buildMailboxState(deps.db, request.params.id, deps.clock.now())),
        lastActivityAt: activity?.lastActivityAt?.toISOString() ?? null,
        legacy: await isLegacyMailbox(deps.db, request.params.id),
      };
    },
  );

  const history = async (request: { params: { id: string } }) => {
    await mustExist(deps, request.params.id);
    const entries = await listHistory(deps.db, request.params.id);
    return {
      mailboxId: request.params.id,
      items: entries.map((e) => ({
        at: e.at.toISOString(),
        change: e.change,
        reason: e.reason,
        requestId: e.requestId,
        itemId: e.itemId,
        actor: e.actor,
        details: e.details ?? {},
      })),
    };
  };
  app.get(
    '/v1/mailboxes/:id/history',
    {
      onRequest,
      schema: {
        ...mailboxParams,
        summary: "A mailbox's history (address changes, state changes, why and by whom)",
        tags: ['mailboxes'],
      },
    },
    history,
  );
  app.get(
    '/admin/mailboxes/:id/history',
    {
      onRequest,
      schema: {
        ...mailboxParams,
        summary: "A mailbox's history (address changes, state changes, why and by whom)",
        tags: ['mailboxes'],
      },
    },
    history,
  );

  app.get(
    '/admin/reserved-addresses',
    {
      onRequest,
      schema: {
        summary: 'Addresses reserved by operators and held back after retirement',
        tags: ['addresses'],
        querystring: Type.Object({ domain: Type.Optional(Type.String()) }),
      },
    },
    async (request) => ({ items: await listReservedAddresses(deps.db, request.query.domain) }),
  );
}

async function mustExist(deps: DirectoryDeps, id: string) {
  if (!isUuid(id) || !(await findMailboxById(deps.db, id))) {
    throw new AppError('not_found', { vi: 'Không có hộp thư này', en: 'No such mailbox' });
  }
}

// Operator routes (admin token or an operator's token) that change the agency tree: rename, move
// and re-code a unit from a date (addresses follow the tree), and read its effective-dated
// versions. Registering an agency and the tree are in admin-routes.ts; dissolving one is a request
// item (dissolve_unit) that two operators approve in the requests service.
import { AppError } from '@hopthu/shared/errors';
import { actorOf, type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import { findAgencyById, listAgencyVersions } from '../db/agency-repository.ts';
import { UNIT_CODE_PATTERN } from '../domain/agencies/agency-change-input.ts';
import { changeAgency } from '../domain/agencies/change-agency.ts';
import type { DirectoryDeps } from '../domain/deps.ts';
import { buildAgencyState } from '../domain/mailboxes/directory-state.ts';

const Id = Type.Object({ id: Type.String() });

const ChangeAgencyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    abbreviation: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    parentId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    unitCode: Type.Optional(
      Type.Union([
        Type.String({
          maxLength: 32,
          description: `The unit code of QĐ 20/2020/QĐ-TTg (${UNIT_CODE_PATTERN}, e.g. 000.00.21.H56); null clears it`,
        }),
        Type.Null(),
      ]),
    ),
    mailboxName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    effectiveFrom: Type.Optional(Type.String({ format: 'date-time' })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export function registerAdminAgencyRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  const onRequest = requireAdminToken(deps.adminToken);

  app.patch(
    '/admin/agencies/:id',
    {
      onRequest,
      schema: {
        summary: 'Rename, move or re-code a unit from a date (addresses follow the tree)',
        tags: ['agencies'],
        params: Id,
        body: ChangeAgencyBody,
      },
    },
    // an operator's token names who changed it; the static token is recorded as `admin`
    async (request) =>
      changeAgency(deps, {
        agencyId: request.params.id,
        ...request.body,
        actor: actorOf(request),
      }),
  );

  app.get(
    '/admin/agencies/:id',
    {
      onRequest,
      schema: {
        summary: 'One unit: its state, unit code, dissolution and effective-dated versions',
        tags: ['agencies'],
        params: Id,
      },
    },
    async (request) => {
      const agency = await mustFind(deps, request.params.id);
      return {
        ...(await buildAgencyState(deps.db, agency.id)),
        unitCode: agency.unitCode,
        officialMailboxId: agency.officialMailboxId,
        validFrom: agency.validFrom.toISOString(),
        dissolvedAt: agency.dissolvedAt?.toISOString() ?? null,
        versions: await listAgencyVersions(deps.db, agency.id),
      };
    },
  );

  app.get(
    '/admin/agencies/:id/versions',
    { onRequest, schema: { summary: "A unit's effective-dated versions", tags: ['agencies'], params: Id } },
    async (request) => {
      const agency = await mustFind(deps, request.params.id);
      return {
        agencyId: request.params.id,
        dissolvedAt: agency.dissolvedAt?.toISOString() ?? null,
        items: await listAgencyVersions(deps.db, request.params.id),
      };
    },
  );
}

async function mustFind(deps: DirectoryDeps, id: string) {
  const agency = await findAgencyById(deps.db, id);
  if (!agency) throw new AppError('not_found', { vi: 'Không có cơ quan này', en: 'No such agency' });
  return agency;
}

// Operator routes for reorganisations (docs/reorganisation.md): the dry run of a plan, its changes
// (searchable, and as CSV), two approvals by different operators, the apply and its progress, and
// the cancellation of a plan not yet being applied.
import {
  actorOf,
  type HttpApp,
  OPERATOR_NAME_PATTERN,
  operatorOf,
  requireAdminToken,
} from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { DirectoryDeps } from '../domain/deps.ts';
import { cancelReorganisation } from '../domain/reorganisations/cancel-reorganisation.ts';
import {
  createReorganisationRunner,
  type ReorganisationRunner,
} from '../domain/reorganisations/apply-reorganisation.ts';
import { approveReorganisation } from '../domain/reorganisations/approve-reorganisation.ts';
import {
  dryRunReorganisation,
  reorganisationChanges,
  reorganisationCsv,
} from '../domain/reorganisations/dry-run-reorganisation.ts';
import {
  applyDueReorganisations,
  effectiveInstant,
  requestApply,
  scheduledView,
} from '../domain/reorganisations/schedule-reorganisations.ts';
import { listReorganisations } from '../db/reorganisation-repository.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ChangesQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
});
const ApplyBody = Type.Object(
  { maxPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) },
  { additionalProperties: false },
);
const RunScheduleBody = Type.Object(
  {
    asOf: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'judge which scheduled plans are due as of this instant (default: now)',
      }),
    ),
  },
  { additionalProperties: false },
);
const ApprovalBody = Type.Object(
  {
    operator: Type.Optional(Type.String({ pattern: OPERATOR_NAME_PATTERN })),
    reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);

export function registerAdminReorganisationRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined; reorganisations?: ReorganisationRunner },
) {
  const onRequest = requireAdminToken(deps.adminToken);
  const runner = deps.reorganisations ?? createReorganisationRunner(deps, { batchSize: 100, workers: 3 });

  // the body is the plan itself; who posted it comes from X-Operator (a dry run changes nothing)
  app.post(
    '/admin/reorganisations',
    {
      schema: {
        summary: 'Submit a reorganisation plan: computed as a dry run, nothing changed',
        tags: ['reorganisations'],
      },
      onRequest,
      bodyLimit: 5 * 1024 * 1024,
    },
    async (request, reply) => {
      const result = await dryRunReorganisation(deps, {
        plan: request.body,
        operator: actorOf(request, 'admin-api'),
      });
      reply.code(result.created ? 201 : 200);
      return result.view;
    },
  );

  app.get(
    '/admin/reorganisations',
    { schema: { summary: 'Reorganisation plans with their state', tags: ['reorganisations'] }, onRequest },
    async () => ({
      items: (await listReorganisations(deps.db)).map((r) => ({
        id: r.id,
        title: r.title,
        effectiveFrom: r.effectiveFrom,
        state: r.state,
        scheduledFor: r.state === 'scheduled' ? effectiveInstant(r.effectiveFrom).toISOString() : null,
        changes: r.changeCount,
        applied: r.appliedCount,
        conflicts: r.conflictCount,
        createdAt: r.createdAt.toISOString(),
      })),
    }),
  );

  app.get(
    '/admin/reorganisations/:id',
    {
      onRequest,
      schema: {
        summary: 'A reorganisation: its dry run, approvals and progress',
        tags: ['reorganisations'],
        params: Params,
      },
    },
    async (request) => scheduledView(deps, request.params.id),
  );

  app.get(
    '/admin/reorganisations/:id/changes',
    {
      onRequest,
      schema: {
        summary: 'The address changes a reorganisation makes (old to new), searchable',
        tags: ['reorganisations'],
        params: Params,
        querystring: ChangesQuery,
      },
    },
    async (request) => ({
      items: await reorganisationChanges(deps, request.params.id, {
        q: request.query.q,
        limit: Number(request.query.limit ?? 200),
        offset: Number(request.query.offset ?? 0),
      }),
    }),
  );

  app.get(
    '/admin/reorganisations/:id/changes.csv',
    {
      onRequest,
      schema: { summary: 'The address changes as CSV', tags: ['reorganisations'], params: Params },
    },
    async (request, reply) => {
      const csv = await reorganisationCsv(deps, request.params.id);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="reorganisation-${request.params.id}.csv"`);
      return csv;
    },
  );

  app.post(
    '/admin/reorganisations/:id/approvals',
    {
      onRequest,
      schema: {
        summary: 'Approve a reorganisation (two different operators needed)',
        tags: ['reorganisations'],
        params: Params,
        body: ApprovalBody,
      },
    },
    async (request) =>
      approveReorganisation(deps, {
        id: request.params.id,
        operator: operatorOf(request, request.body),
        reason: request.body.reason,
      }),
  );

  // the same body as an approval: who (an operator token's name wins) and why
  app.post(
    '/admin/reorganisations/:id/cancel',
    {
      onRequest,
      schema: {
        summary: 'Cancel a reorganisation not yet being applied (computed, approved or scheduled)',
        tags: ['reorganisations'],
        params: Params,
        body: ApprovalBody,
      },
    },
    async (request) =>
      cancelReorganisation(deps, {
        id: request.params.id,
        operator: operatorOf(request, request.body),
        reason: request.body.reason,
      }),
  );

  app.post(
    '/admin/reorganisations/:id/apply',
    {
      onRequest,
      schema: {
        summary: 'Apply an approved reorganisation in bulk (resumable)',
        tags: ['reorganisations'],
        params: Params,
        body: ApplyBody,
      },
      // an apply may come with no body at all
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      // before its effective date an approved plan is scheduled, not applied
      const view = await requestApply(deps, runner, {
        id: request.params.id,
        operator: actorOf(request, 'admin-api'),
        maxPerSecond: request.body.maxPerSecond,
      });
      reply.code(view.state === 'applied' ? 200 : 202);
      return view;
    },
  );

  app.post(
    '/admin/reorganisations/scheduled/run',
    {
      onRequest,
      schema: {
        summary: 'Apply the scheduled reorganisations whose effective date has come (as the loop does)',
        tags: ['reorganisations'],
        body: RunScheduleBody,
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => ({
      started: await applyDueReorganisations(deps, runner, {
        asOf: request.body.asOf ? new Date(request.body.asOf) : undefined,
      }),
    }),
  );
}

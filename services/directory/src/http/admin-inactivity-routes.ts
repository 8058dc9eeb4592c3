// Operator routes for inactivity (regulations §6): reclaim proposals (list, approve, dismiss) and
// a sweep run now. Approve and dismiss name the operator (body `operator` or header X-Operator),
// recorded in the proposal and the mailbox's history.
import { AppError } from '@hopthu/shared/errors';
import { type HttpApp, OPERATOR_NAME_PATTERN, operatorOf, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import { isUuid } from '../db/agency-repository.ts';
import type { DirectoryDeps } from '../domain/deps.ts';
import { recordAbsence } from '../domain/inactivity/absence.ts';
import { approveReclaim, dismissReclaim, listReclaims } from '../domain/inactivity/decide-reclaim.ts';
import { sweepInactiveMailboxes } from '../domain/inactivity/sweep-inactive-mailboxes.ts';

const OPERATOR = OPERATOR_NAME_PATTERN;

const ListQuery = Type.Object({
  state: Type.Optional(
    Type.Union([
      Type.Literal('proposed'),
      Type.Literal('approved'),
      Type.Literal('dismissed'),
      Type.Literal('withdrawn'),
      Type.Literal('all'),
    ]),
  ),
  province: Type.Optional(Type.String({ maxLength: 64 })),
  mailboxId: Type.Optional(Type.String({ maxLength: 64 })),
});
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ApproveBody = Type.Object(
  {
    operator: Type.Optional(Type.String({ pattern: OPERATOR })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
const DismissBody = Type.Object(
  {
    operator: Type.Optional(Type.String({ pattern: OPERATOR })),
    reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);

const AbsenceBody = Type.Object(
  {
    until: Type.String({
      minLength: 10,
      maxLength: 40,
      description: 'YYYY-MM-DD (end of that day, Vietnam time)',
    }),
    reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description: 'leave, study…' }),
    operator: Type.Optional(Type.String({ pattern: OPERATOR })),
  },
  { additionalProperties: false },
);

function mailboxIdOf(id: string): string {
  if (!isUuid(id)) throw new AppError('not_found', { vi: 'Không có hộp thư này', en: 'No such mailbox' });
  return id;
}

function proposalId(id: string): string {
  if (!isUuid(id))
    throw new AppError('not_found', { vi: 'Không có đề xuất thu hồi này', en: 'No such reclaim proposal' });
  return id;
}

export function registerAdminInactivityRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  const onRequest = requireAdminToken(deps.adminToken);

  // A known absence of the holder (Bắc Ninh Điều 4 khoản 2 điểm c: "mà không có lý do"): no lock or
  // reclaim before `until`; DELETE ends it.
  app.put(
    '/admin/mailboxes/:id/absence',
    {
      onRequest,
      schema: {
        summary: 'Record a known absence that holds the inactivity rule back',
        tags: ['inactivity'],
        params: Params,
        body: AbsenceBody,
      },
    },
    async (request) => {
      const mailboxId = mailboxIdOf(request.params.id);
      return recordAbsence(deps, {
        mailboxId,
        until: request.body.until,
        reason: request.body.reason,
        actor: operatorOf(request, request.body),
      });
    },
  );
  app.delete(
    '/admin/mailboxes/:id/absence',
    { onRequest, schema: { summary: 'End a known absence', tags: ['inactivity'], params: Params } },
    async (request) =>
      recordAbsence(deps, {
        mailboxId: mailboxIdOf(request.params.id),
        until: null,
        actor: operatorOf(request, undefined),
      }),
  );

  app.get(
    '/admin/reclaims',
    {
      onRequest,
      schema: {
        summary: "Reclaim proposals for mailboxes unused past their province's period",
        tags: ['inactivity'],
        querystring: ListQuery,
      },
    },
    async (request) => {
      const state = request.query.state ?? 'proposed';
      return listReclaims(deps, {
        state: state === 'all' ? undefined : state,
        province: request.query.province,
        mailboxId: request.query.mailboxId,
      });
    },
  );

  app.post(
    '/admin/reclaims/:id/approve',
    {
      onRequest,
      schema: {
        summary: 'Approve a reclaim proposal',
        tags: ['inactivity'],
        params: Params,
        body: ApproveBody,
      },
      // An approval may come with no body at all, the operator in X-Operator.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) =>
      approveReclaim(deps, {
        proposalId: proposalId(request.params.id),
        operator: operatorOf(request, request.body),
        note: request.body.note,
      }),
  );

  app.post(
    '/admin/reclaims/:id/dismiss',
    {
      onRequest,
      schema: {
        summary: 'Dismiss a reclaim proposal with a reason',
        tags: ['inactivity'],
        params: Params,
        body: DismissBody,
      },
    },
    async (request) =>
      dismissReclaim(deps, {
        proposalId: proposalId(request.params.id),
        operator: operatorOf(request, request.body),
        reason: request.body.reason,
      }),
  );

  // What the daily sweep does, now (all provinces with a rule, or one).
  app.post(
    '/admin/inactivity/sweep',
    {
      onRequest,
      schema: {
        summary: 'Run the inactivity sweep now (lock or propose reclaims per province)',
        tags: ['inactivity'],
        querystring: Type.Object({ province: Type.Optional(Type.String({ maxLength: 64 })) }),
      },
    },
    async (request) => sweepInactiveMailboxes(deps, { province: request.query.province }),
  );
}

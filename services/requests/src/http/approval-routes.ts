// Operator routes for approvals (ADMIN_TOKEN; the console calls them): the queue of items waiting
// for approval, approve and reject with a reason, a request's full history, and the policies in force. The operator's
// identity comes in the body (`operator`) or the `X-Operator` header.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '@hopthu/shared/errors';
import { type HttpApp, OPERATOR_NAME_PATTERN, operatorOf, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { ApprovalDeps } from '../domain/approval/approval-deps.ts';
import type { ApprovalPolicies } from '../domain/approval/approval-policies.ts';
import { approveItem } from '../domain/approval/approve-item.ts';
import { listItemsAwaitingApproval } from '../domain/approval/list-pending-items.ts';
import { readRequestHistory } from '../domain/approval/read-request-history.ts';
import { rejectItem } from '../domain/approval/reject-item.ts';
import type { ItemsWriter } from '../domain/requests/items-writer.ts';

const OPERATOR = OPERATOR_NAME_PATTERN;

const ItemParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  itemId: Type.String({ format: 'uuid' }),
});
const ApproveBody = Type.Object(
  {
    operator: Type.Optional(Type.String({ pattern: OPERATOR })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
const RejectBody = Type.Object(
  {
    operator: Type.Optional(Type.String({ pattern: OPERATOR })),
    reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);

export function registerApprovalRoutes(
  app: HttpApp,
  deps: ApprovalDeps & {
    adminToken: string | undefined;
    approvalPolicies: ApprovalPolicies;
    /** A bulk request answered moments ago has its items written before they are read or decided on. */
    itemsWriter?: Pick<ItemsWriter, 'ensureWritten'>;
  },
) {
  app.register(async (plugin) => {
    const admin = plugin.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.addHook('preHandler', async (request) => {
      const requestId = (request.params as { id?: string } | undefined)?.id;
      if (requestId && deps.itemsWriter) await deps.itemsWriter.ensureWritten(requestId);
    });

    // The policies in force (built-in, merged with APPROVAL_POLICY_FILE), for the console.
    admin.get(
      '/admin/approval-policies',
      { schema: { summary: 'The approval policies in force, per province', tags: ['admin'] } },
      async () => ({ items: deps.approvalPolicies.list() }),
    );

    admin.get(
      '/admin/approvals',
      {
        schema: {
          summary: 'The items waiting for operators, earliest deadline first, one page and the total',
          tags: ['admin'],
          querystring: Type.Object({
            province: Type.Optional(Type.String({ maxLength: 64 })),
            /** The acting agency or the item's unit, by id or by abbreviation (`stttt`). */
            agencyId: Type.Optional(Type.String({ maxLength: 100 })),
            requestId: Type.Optional(Type.String({ format: 'uuid' })),
            /** Part of the letter's number (số/ký hiệu). */
            reference: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]{0,2}|1000)$' })),
            offset: Type.Optional(Type.String({ pattern: '^(?:0|[1-9][0-9]{0,6})$' })),
          }),
        },
      },
      // `total` counts every waiting item that matches, so a page never hides how many are left.
      async (request) =>
        listItemsAwaitingApproval(deps, {
          province: request.query.province,
          agency: request.query.agencyId?.trim() || undefined,
          requestId: request.query.requestId,
          reference: request.query.reference?.trim() || undefined,
          limit: request.query.limit ? Number(request.query.limit) : undefined,
          offset: request.query.offset ? Number(request.query.offset) : undefined,
        }),
    );

    admin.post(
      '/admin/requests/:id/items/:itemId/approve',
      {
        schema: {
          summary: 'Approve an item (an agency-mailbox or bulk delete needs two different operators)',
          tags: ['admin'],
          params: ItemParams,
          body: ApproveBody,
        },
        // An approval may come with no body at all, the operator in X-Operator.
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
      },
      async (request) =>
        approveItem(deps, {
          requestId: request.params.id,
          itemId: request.params.itemId,
          operator: operatorOf(request, request.body),
          reason: request.body.reason?.trim() || undefined,
        }),
    );

    admin.post(
      '/admin/requests/:id/items/:itemId/reject',
      {
        schema: {
          summary: 'Reject an item with the reason the agency is told',
          tags: ['admin'],
          params: ItemParams,
          body: RejectBody,
        },
      },
      async (request) =>
        rejectItem(deps, {
          requestId: request.params.id,
          itemId: request.params.itemId,
          operator: operatorOf(request, request.body),
          reason: request.body.reason.trim(),
        }),
    );

    admin.get(
      '/admin/requests/:id',
      {
        schema: {
          summary: 'A request with every item, its approvals and its history',
          tags: ['admin'],
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (request) => {
        const found = await readRequestHistory(deps, { requestId: request.params.id });
        if (!found)
          throw new AppError('not_found', { vi: 'Không tìm thấy yêu cầu', en: 'Request not found' });
        return found;
      },
    );
  });
}

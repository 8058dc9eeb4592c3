// Phê duyệt: the queue of items waiting for operators (requests service), approve or reject with a
// reason under the logged-in operator's name, and a request's items with their history. The routes
// read the input, call one use case and render a view (views/approval-pages.ts).
import { type Static, Type } from '@sinclair/typebox';
import type { ConsoleDeps } from '../domain/deps.ts';
import { decideItem } from '../domain/operations/decide-item.ts';
import { readApprovalQueue } from '../domain/operations/read-approval-queue.ts';
import { readRequestHistory } from '../domain/operations/read-request-history.ts';
import { CSV_LIMIT, offsetOf, PAGE_SIZE, pager, sendCsv } from './list-page.ts';
import { credentialLinks } from './mailbox-routes.ts';
import { noticeFrom, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';
import { scanSection } from './paper-request-routes.ts';
import {
  APPROVAL_CSV_COLUMNS,
  approvalCsvRows,
  approvalQueueView,
  requestNotFoundView,
  requestView,
} from './views/approval-pages.ts';

const UUID = '^[0-9a-fA-F-]{36}$';
const ItemParams = Type.Object({
  requestId: Type.String({ pattern: UUID }),
  itemId: Type.String({ pattern: UUID }),
});
const DecisionBody = Type.Object({
  _csrf: Type.String(),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});
const QueueQuery = Type.Object({
  agencyId: Type.Optional(Type.String({ maxLength: 100 })),
  requestId: Type.Optional(Type.String({ maxLength: 36 })),
  reference: Type.Optional(Type.String({ maxLength: 100 })),
  trang: Type.Optional(Type.String({ maxLength: 6 })),
  notice: Type.Optional(Type.String({ maxLength: 40 })),
});
type QueueQuery = Static<typeof QueueQuery>;

const queueFilter = (q: QueueQuery) => ({
  agencyId: q.agencyId,
  reference: q.reference,
  requestId: q.requestId,
});

export function registerApprovalRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/approvals',
    { config: { permission: 'queues.view' }, schema: { querystring: QueueQuery } },
    async (request, reply) => {
      const offset = offsetOf(request.query);
      const queue = await readApprovalQueue(deps, {
        ...queueFilter(request.query),
        offset,
        limit: PAGE_SIZE,
      });
      const { notice: _notice, ...query } = request.query;
      const nav = pager({
        path: '/approvals',
        query,
        offset,
        shown: queue.items.length,
        total: queue.total,
        csvPath: '/approvals.csv',
      });
      return sendPage(request, reply, {
        title: 'Phê duyệt',
        current: 'approvals',
        notice: noticeFrom(request.query),
        body: approvalQueueView({
          queue,
          filter: queueFilter(request.query),
          now: deps.clock.now(),
          operator: request.consoleSession!,
          nav,
        }),
      });
    },
  );

  app.get(
    '/approvals.csv',
    { config: { permission: 'queues.view' }, schema: { querystring: QueueQuery } },
    async (request, reply) => {
      const queue = await readApprovalQueue(deps, {
        ...queueFilter(request.query),
        offset: 0,
        limit: CSV_LIMIT,
      });
      return sendCsv(reply, 'hang-cho-phe-duyet.csv', APPROVAL_CSV_COLUMNS, approvalCsvRows(queue));
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/approvals/:requestId/items/:itemId/${decision}`,
      { config: { permission: 'approvals.decide' }, schema: { params: ItemParams, body: DecisionBody } },
      async (request, reply) => {
        const result = await decideItem(deps, {
          requestId: request.params.requestId,
          itemId: request.params.itemId,
          decision,
          reason: request.body.reason,
          operator: request.consoleSession!,
          clientIp: request.ip,
        });
        if (result.outcome === 'refused') {
          return reply.redirect(`/approvals?notice=${result.code}`, 303);
        }
        return reply.redirect(
          `/requests/${request.params.requestId}?notice=${result.outcome}#item-${request.params.itemId}`,
          303,
        );
      },
    );
  }

  app.get(
    '/requests/:id',
    {
      config: { permission: 'queues.view' },
      schema: {
        params: Type.Object({ id: Type.String({ pattern: UUID }) }),
        querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const found = await readRequestHistory(deps, { requestId: request.params.id });
      if (!found) {
        return sendPage(request, reply, {
          title: 'Không tìm thấy yêu cầu',
          current: 'approvals',
          status: 404,
          notice: { kind: 'error', text: 'Không có yêu cầu này.' },
          body: requestNotFoundView(),
        });
      }
      const session = request.consoleSession!;
      return sendPage(request, reply, {
        title: `Yêu cầu ${found.request.reference.number}`,
        current: 'approvals',
        notice: noticeFrom(request.query),
        body: requestView({
          ...found,
          operator: session,
          credentials: credentialLinks(found.request, session),
          scan: await scanSection(deps, found.request.id),
        }),
      });
    },
  );
}

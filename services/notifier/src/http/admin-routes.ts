// Admin API for the console: warnings, deliveries with their attempts, deadlines, webhook
// subscriptions, and (test stacks only) the clock. Thin: schema + one call each.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '@hopthu/shared/errors';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../app.ts';
import { findAgency, findWebhookSubscription } from '../db/agency-repository.ts';
import {
  findDeadline,
  countOpenDeadlines,
  listOpenDeadlines,
  listWarnings,
} from '../db/deadline-repository.ts';
import { listDeliveries } from '../db/delivery-repository.ts';
import { setWebhookSubscription } from '../domain/webhooks/set-webhook-subscription.ts';

// Query strings are not coerced (shared ajv options), so numbers arrive as digit strings.
const LimitSchema = Type.String({ pattern: '^[0-9]{1,3}$' });
const toLimit = (s: string | undefined) => Math.min(500, Math.max(1, Number(s ?? 100)));

const notFound = () => new AppError('not_found', { vi: 'Không tìm thấy', en: 'Not found' });

const subscriptionView = (s: { agencyId: string; url: string; createdAt: Date; updatedAt: Date }) => ({
  agencyId: s.agencyId,
  url: s.url,
  // the secret is write-only: shown neither here nor in logs
  secretSet: true,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export function registerAdminRoutes(app: HttpApp, deps: AppDeps) {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));

    admin.get(
      '/admin/warnings',
      {
        schema: {
          summary: 'Deadline warnings fired, newest first',
          tags: ['deadlines'],
          querystring: Type.Object({
            requestId: Type.Optional(Type.String()),
            limit: Type.Optional(LimitSchema),
          }),
        },
      },
      async (req) => ({
        warnings: await listWarnings(deps.db, {
          requestId: req.query.requestId,
          limit: toLimit(req.query.limit),
        }),
      }),
    );

    admin.get(
      '/admin/deliveries',
      {
        schema: {
          summary: 'Result mails and webhooks with their attempts',
          tags: ['deliveries'],
          querystring: Type.Object({
            requestId: Type.Optional(Type.String()),
            status: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
            ),
            limit: Type.Optional(LimitSchema),
          }),
        },
      },
      async (req) => ({
        deliveries: await listDeliveries(deps.db, {
          requestId: req.query.requestId,
          status: req.query.status,
          limit: toLimit(req.query.limit),
        }),
      }),
    );

    // The SLA board: deadlines of requests not finished yet, earliest due first. Only `open` is
    // listed; closed deadlines are read one at a time below.
    admin.get(
      '/admin/deadlines',
      {
        schema: {
          summary:
            'Open deadlines (the SLA board), earliest first, one page with the total and overdue count',
          tags: ['deadlines'],
          querystring: Type.Object({
            state: Type.Optional(Type.Literal('open')),
            /** The agency by id or abbreviation (`stttt`). */
            agency: Type.Optional(Type.String({ maxLength: 100 })),
            /** Part of the letter's number (số/ký hiệu). */
            reference: Type.Optional(Type.String({ maxLength: 100 })),
            overdue: Type.Optional(Type.Literal('true')),
            limit: Type.Optional(LimitSchema),
            offset: Type.Optional(Type.String({ pattern: '^(?:0|[1-9][0-9]{0,6})$' })),
          }),
        },
      },
      // `total` and `overdue` count every open deadline that matches, so a page never hides the rest.
      async (req) => {
        const now = deps.clock.now();
        const filter = {
          agency: req.query.agency?.trim() || undefined,
          reference: req.query.reference?.trim() || undefined,
          overdueAt: req.query.overdue ? now : undefined,
        };
        const [deadlines, counts] = await Promise.all([
          listOpenDeadlines(deps.db, {
            ...filter,
            limit: toLimit(req.query.limit),
            offset: req.query.offset ? Number(req.query.offset) : 0,
          }),
          countOpenDeadlines(deps.db, filter, now),
        ]);
        return { deadlines, ...counts };
      },
    );

    admin.get(
      '/admin/deadlines/:requestId',
      {
        schema: {
          summary: "A request's deadline and its timers",
          tags: ['deadlines'],
          params: Type.Object({ requestId: Type.String() }),
        },
      },
      async (req) => {
        const d = await findDeadline(deps.db, req.params.requestId);
        if (!d) throw notFound();
        return d;
      },
    );

    admin.get(
      '/admin/agencies/:agencyId',
      {
        schema: {
          summary: 'An agency as the notifier knows it (name, official mailbox)',
          tags: ['agencies'],
          params: Type.Object({ agencyId: Type.String({ minLength: 1 }) }),
        },
      },
      async (req) => {
        const a = await findAgency(deps.db, req.params.agencyId);
        if (!a) throw notFound();
        return a;
      },
    );

    admin.put(
      '/admin/agencies/:agencyId/webhook',
      {
        schema: {
          summary: "Set an agency's webhook (URL and signing secret)",
          tags: ['agencies'],
          params: Type.Object({ agencyId: Type.String({ minLength: 1 }) }),
          body: Type.Object(
            {
              url: Type.String({ minLength: 1, maxLength: 2000 }),
              secret: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) =>
        subscriptionView(await setWebhookSubscription(deps, { agencyId: req.params.agencyId, ...req.body })),
    );

    admin.get(
      '/admin/agencies/:agencyId/webhook',
      {
        schema: {
          summary: "An agency's webhook subscription",
          tags: ['agencies'],
          params: Type.Object({ agencyId: Type.String({ minLength: 1 }) }),
        },
      },
      async (req) => {
        const s = await findWebhookSubscription(deps.db, req.params.agencyId);
        if (!s) throw notFound();
        return subscriptionView(s);
      },
    );
  });
}

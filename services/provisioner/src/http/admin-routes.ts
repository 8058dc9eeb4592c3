// Admin API for the console: dead letters (list, show, replay), the applied-command log, the
// drift check and repair, the retention area (list, purge what is due), and the activity report
// (run a pass now).
// Thin: schema + one call each. Every route needs the admin token.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '@hopthu/shared/errors';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../app.ts';
import { type AppliedCommand, listAppliedCommands } from '../db/applied-command-repository.ts';
import {
  countDeadLetters,
  type DeadLetter,
  findDeadLetter,
  listDeadLetters,
} from '../db/dead-letter-repository.ts';
import { reportMailboxActivity } from '../domain/activity/report-mailbox-activity.ts';
import { replayDeadLetter } from '../domain/dead-letters/replay-dead-letter.ts';
import { checkDrift } from '../domain/drift/check-drift.ts';
import { repairDrift } from '../domain/drift/repair-drift.ts';
import { listRetention } from '../domain/retention/list-retention.ts';
import { purgeRetention } from '../domain/retention/purge-retention.ts';

// Query strings are not coerced (shared ajv options), so numbers arrive as digit strings.
const LimitSchema = Type.String({ pattern: '^[0-9]{1,3}$' });
const toLimit = (s: string | undefined) => Math.min(500, Math.max(1, Number(s ?? 100)));
const UuidSchema = Type.String({ pattern: '^[0-9a-fA-F-]{36}$' });

/** What the command was, read from the stored payload, so operators see an address, not an id. */
function commandSummary(payload: string | null): { address: string | null; action: string | null } {
  try {
    const data = (JSON.parse(payload ?? 'null') as { data?: { address?: unknown; action?: unknown } } | null)
      ?.data;
    return {
      address: typeof data?.address === 'string' ? data.address : null,
      action: typeof data?.action === 'string' ? data.action : null,
    };
  } catch {
    return { address: null, action: null };
  }
}

const deadLetterView = (d: DeadLetter) => ({
  id: d.id,
  eventId: d.eventId,
  commandId: d.commandId,
  mailboxId: d.mailboxId,
  ...commandSummary(d.payload),
  topic: d.topic,
  partition: d.partition,
  offset: d.offset,
  key: d.messageKey,
  error: d.error,
  attempts: d.attempts,
  createdAt: d.createdAt.toISOString(),
  replayedAt: d.replayedAt?.toISOString() ?? null,
  replayEventId: d.replayEventId,
});

/** The stored payload keeps the hash (a replay needs it); the console never sees it. */
function redactedPayload(payload: string | null): unknown {
  if (payload === null) return null;
  try {
    const value = JSON.parse(payload) as { data?: { passwordHash?: unknown } };
    if (value?.data && typeof value.data === 'object' && 'passwordHash' in value.data) {
      value.data.passwordHash = '[redacted]';
    }
    return value;
  } catch {
    return payload;
  }
}

const appliedView = (c: AppliedCommand) => ({ ...c, appliedAt: c.appliedAt.toISOString() });

export function registerAdminRoutes(app: HttpApp, deps: AppDeps) {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));

    admin.get(
      '/admin/dead-letters',
      {
        schema: {
          summary: 'Commands that could not be applied, newest first, one page and the total',
          tags: ['dead-letters'],
          querystring: Type.Object({
            mailboxId: Type.Optional(Type.String()),
            commandId: Type.Optional(Type.String()),
            replayed: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
            /** Part of the address the command was for. */
            address: Type.Optional(Type.String({ maxLength: 320 })),
            limit: Type.Optional(LimitSchema),
            offset: Type.Optional(Type.String({ pattern: '^(?:0|[1-9][0-9]{0,6})$' })),
          }),
        },
      },
      // `total` counts every dead letter that matches, so a page never hides the rest.
      async (req) => {
        const filter = {
          mailboxId: req.query.mailboxId,
          commandId: req.query.commandId,
          replayed: req.query.replayed === undefined ? undefined : req.query.replayed === 'true',
          address: req.query.address?.trim() || undefined,
        };
        const [letters, total] = await Promise.all([
          listDeadLetters(deps.db, {
            ...filter,
            limit: toLimit(req.query.limit),
            offset: req.query.offset ? Number(req.query.offset) : 0,
          }),
          countDeadLetters(deps.db, filter),
        ]);
        return { deadLetters: letters.map(deadLetterView), total };
      },
    );

    admin.get(
      '/admin/dead-letters/:id',
      {
        schema: {
          summary: 'One dead letter with its command (password hash redacted) and Kafka headers',
          tags: ['dead-letters'],
          params: Type.Object({ id: UuidSchema }),
        },
      },
      async (req) => {
        const d = await findDeadLetter(deps.db, req.params.id);
        if (!d)
          throw new AppError('not_found', { vi: 'Không tìm thấy thư lỗi', en: 'Dead letter not found' });
        return { ...deadLetterView(d), payload: redactedPayload(d.payload), headers: d.headers };
      },
    );

    admin.post(
      '/admin/dead-letters/:id/replay',
      {
        schema: {
          summary: "Send a dead letter's command again as a new event",
          tags: ['dead-letters'],
          params: Type.Object({ id: UuidSchema }),
        },
      },
      async (req, reply) => {
        const r = await replayDeadLetter(deps, { id: req.params.id });
        return reply.status(202).send(r);
      },
    );

    const DriftQuery = Type.Object({ domain: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })) });

    admin.get(
      '/admin/drift',
      {
        schema: {
          summary: "The directory's mailboxes against the mail server: what differs",
          tags: ['drift'],
          querystring: DriftQuery,
        },
      },
      async (req) => checkDrift(deps, { domain: req.query.domain?.toLowerCase() }),
    );

    admin.post(
      '/admin/drift/repair',
      { schema: { summary: 'Repair what the drift check found', tags: ['drift'], querystring: DriftQuery } },
      async (req) => repairDrift(deps, { domain: req.query.domain?.toLowerCase() }),
    );

    admin.get(
      '/admin/retention',
      {
        schema: {
          summary: 'Deleted mailboxes whose mail is kept, with their purge day',
          tags: ['retention'],
        },
      },
      async () => listRetention(deps),
    );

    // removes what is past its period now, as the periodic purge would; never anything younger
    admin.post(
      '/admin/retention/purge',
      {
        schema: {
          summary: 'Purge the mail of deleted mailboxes whose retention is over',
          tags: ['retention'],
        },
      },
      async () => purgeRetention(deps),
    );

    // What the periodic activity report does, now: last logins that changed are published.
    admin.post(
      '/admin/activity/report',
      {
        schema: {
          summary: 'Report mailbox activity (last logins) to the directory now',
          tags: ['activity'],
          querystring: Type.Object({ domain: Type.Optional(Type.String({ maxLength: 253 })) }),
        },
      },
      async (request) => reportMailboxActivity(deps, { domain: request.query.domain }),
    );

    admin.get(
      '/admin/applied-commands',
      {
        schema: {
          summary: 'Commands applied to the mail server, newest first',
          tags: ['commands'],
          querystring: Type.Object({
            mailboxId: Type.Optional(Type.String()),
            limit: Type.Optional(LimitSchema),
          }),
        },
      },
      async (req) => ({
        commands: (
          await listAppliedCommands(deps.db, {
            mailboxId: req.query.mailboxId,
            limit: toLimit(req.query.limit),
          })
        ).map(appliedView),
      }),
    );
  });
}

// Operator routes for importing a province's existing mail system: POST plans (apply false) or
// starts the apply (apply true; refused with every conflict while the plan has any) and GET follows
// a job's progress. The apply runs in the background; a job a stop interrupted continues when the
// service is ready again.
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { DirectoryDeps } from '../domain/deps.ts';
import {
  createImportRunner,
  listImports,
  readImportProgress,
  resumeImports,
  submitImport,
} from '../domain/imports/run-import.ts';

/** 20,000 mailboxes are a few MB of CSV. */
const BODY_LIMIT = 64 * 1024 * 1024;

const ImportBody = Type.Object(
  {
    province: Type.String({ pattern: '^[a-z]+(?:-[a-z]+)*$', maxLength: 64 }),
    agencies: Type.String({ maxLength: BODY_LIMIT }),
    mailboxes: Type.String({ maxLength: BODY_LIMIT }),
    mailboxesFormat: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('csv'), Type.Literal('zmprov'), Type.Literal('ldif')]),
    ),
    apply: Type.Boolean(),
  },
  { additionalProperties: false },
);
const JobParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Instant = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });
/**
 * A job's progress as GET /admin/imports/:id answers it. The console is typed from this schema
 * through the OpenAPI document (packages/shared/src/generated/directory-api.ts); the properties
 * are in the order the answer has always had them.
 */
const ImportProgressSchema = Type.Object({
  jobId: Type.String({ format: 'uuid' }),
  province: Type.String(),
  state: Type.Union([
    Type.Literal('planned'),
    Type.Literal('applying'),
    Type.Literal('applied'),
    Type.Literal('failed'),
  ]),
  agencies: Count,
  mailboxes: Count,
  legacy: Type.Integer({ minimum: 0, description: 'Mailboxes whose address is off the province rule' }),
  agenciesWritten: Count,
  mailboxesWritten: Count,
  mailboxesConfirmed: Type.Integer({
    minimum: 0,
    description: 'Mailboxes the mail server has confirmed (they log in from now on)',
  }),
  mailboxesFailed: Count,
  finished: Type.Boolean({ description: 'Every mailbox written and answered by the mail server' }),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  applyStartedAt: Type.Union([Instant, Type.Null()]),
  appliedAt: Type.Union([Instant, Type.Null()]),
});
const ImportListSchema = Type.Object({
  provinces: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  items: Type.Array(ImportProgressSchema),
});

export function registerAdminImportRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  const onRequest = requireAdminToken(deps.adminToken);
  const runner = createImportRunner(deps);
  app.addHook('onReady', async () => {
    const resumed = await resumeImports(deps, runner);
    if (resumed.length > 0) deps.logger.info({ jobs: resumed }, 'interrupted imports resumed');
  });
  app.addHook('onClose', async () => runner.stop());

  app.post(
    '/admin/imports',
    {
      onRequest,
      bodyLimit: BODY_LIMIT,
      schema: {
        summary: 'Plan or apply the import of an existing mail system (agencies and mailboxes)',
        tags: ['imports'],
        body: ImportBody,
      },
    },
    async (request, reply) => {
      const summary = await submitImport(deps, request.body);
      if (summary.jobId) {
        runner.start(summary.jobId);
        reply.code(202);
      }
      return summary;
    },
  );

  app.get(
    '/admin/imports',
    {
      onRequest,
      schema: {
        summary: 'The latest imports with their progress, and the provinces',
        tags: ['imports'],
        response: { 200: ImportListSchema },
      },
    },
    async () => listImports(deps),
  );

  app.get(
    '/admin/imports/:id',
    {
      onRequest,
      schema: {
        summary: "An import's progress and result",
        tags: ['imports'],
        params: JobParams,
        response: { 200: ImportProgressSchema },
      },
    },
    async (request) => readImportProgress(deps, request.params.id),
  );
}

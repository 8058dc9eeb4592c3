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
      schema: { summary: 'The latest imports with their progress, and the provinces', tags: ['imports'] },
    },
    async () => listImports(deps),
  );

  app.get(
    '/admin/imports/:id',
    {
      onRequest,
      schema: { summary: "An import's progress and result", tags: ['imports'], params: JobParams },
    },
    async (request) => readImportProgress(deps, request.params.id),
  );
}

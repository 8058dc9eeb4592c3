// buildApp: the requests service's HTTP API (agency API under /v1, token endpoint, admin routes).
// Only assembly here: each route module is thin and calls a use case. The registration order is
// the order of the OpenAPI document's paths.
import { type Clock, type NewId, newId as randomId, systemClock } from '@hopthu/shared/clock';
import { parseKeyRing } from '@hopthu/shared/config';
import { createHttpApp } from '@hopthu/shared/http';
import type { Logger } from '@hopthu/shared/logger';
import { collectOnScrape } from '@hopthu/shared/metrics';
import type { Kysely } from 'kysely';
import { createDovecotAuthClient, type VerifyMailboxPassword } from './adapters/dovecot-auth-client.ts';
import type { Config } from './config.ts';
import { itemsByOperationAndStatus } from './db/metrics-repository.ts';
import type { Database } from './db/schema.ts';
import type { ApprovalPolicies } from './domain/approval/approval-policies.ts';
import { tokenKeys } from './domain/auth/token-keys.ts';
import type { SubmitDeps } from './domain/requests/submit-request.ts';
import { dataKeys } from './domain/secrets.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerApiDocs } from './http/api-docs.ts';
import { registerApprovalRoutes } from './http/approval-routes.ts';
import { registerClientAdminRoutes } from './http/client-admin-routes.ts';
import { registerOperatorRequestRoutes } from './http/operator-request-routes.ts';
import { createBulkWork, registerRequestRoutes } from './http/request-routes.ts';
import { registerScimRoutes } from './http/scim-routes.ts';
import { registerScimTokenRoutes } from './http/scim-token-routes.ts';
import { registerSelfServiceRoutes } from './http/self-service-routes.ts';
import { registerSummaryRoutes } from './http/summary-routes.ts';
import { registerTokenRoutes } from './http/token-routes.ts';

export function buildApp(deps: {
  config: Config;
  db: Kysely<Database>;
  logger: Logger;
  readiness: () => Promise<void>;
  /** The approval policies in force (built-in, or merged with APPROVAL_POLICY_FILE). */
  approvalPolicies: ApprovalPolicies;
  /** How current mailbox passwords are checked (default: Dovecot's auth service from the config). */
  verifyMailboxPassword?: VerifyMailboxPassword;
  /** The time every use case reads (default the system clock; a test's manual clock). */
  clock?: Clock;
  newId?: NewId;
}) {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const newId = deps.newId ?? randomId;
  const submit = submitDepsOf(config, { db, clock, newId, approvalPolicies: deps.approvalPolicies });
  const { dataKey } = submit;
  const tokenUrl = `${config.PUBLIC_URL}/oauth/token`;
  const app = createHttpApp({
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: config.BODY_LIMIT_BYTES,
  });
  registerApiDocs(app as never, config.PUBLIC_URL);
  const auth = {
    db,
    tokenUrl,
    tokenKeys: tokenKeys(parseKeyRing(config.TOKEN_SIGNING_KEYS)),
    accessTokenSeconds: config.ACCESS_TOKEN_SECONDS,
    clock,
  };

  registerTokenRoutes(app, { auth, perMinute: config.TOKEN_RATE_LIMIT_PER_MINUTE });
  // a bulk request is answered once stored; its items are written just after (expand-request.ts)
  const bulkWork = createBulkWork(submit, deps.logger);
  bulkWork.itemsWriter.start();
  app.addHook('onClose', async () => bulkWork.itemsWriter.stop());
  registerRequestRoutes(app, { auth, perMinute: config.RATE_LIMIT_PER_MINUTE, submit, ...bulkWork });
  registerAdminRoutes(app, { db, adminToken: config.ADMIN_TOKEN, tokenUrl });
  registerApprovalRoutes(app, {
    db,
    clock,
    dataKey,
    credentialTtlHours: config.CREDENTIAL_TTL_HOURS,
    publicUrl: config.PUBLIC_URL,
    adminToken: config.ADMIN_TOKEN,
    approvalPolicies: deps.approvalPolicies,
    itemsWriter: bulkWork.itemsWriter,
  });
  registerClientAdminRoutes(app as never, { db, adminToken: config.ADMIN_TOKEN });
  registerOperatorRequestRoutes(app, {
    adminToken: config.ADMIN_TOKEN,
    submit,
    scanMaxBytes: config.SCAN_MAX_BYTES,
  });
  registerSummaryRoutes(app, { db, adminToken: config.ADMIN_TOKEN, clock });
  registerScimRoutes(app, {
    db,
    auth,
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    publicUrl: config.PUBLIC_URL,
    submit,
  });
  registerScimTokenRoutes(app, { db, clock, newId, adminToken: config.ADMIN_TOKEN });
  registerSelfServiceRoutes(app, {
    db,
    logger: deps.logger,
    clock,
    newId,
    limits: {
      maxPerAddress: config.SELF_SERVICE_FAILURES_PER_ADDRESS,
      maxPerClient: config.SELF_SERVICE_FAILURES_PER_CLIENT,
      windowSeconds: config.SELF_SERVICE_WINDOW_SECONDS,
    },
    verifyPassword:
      deps.verifyMailboxPassword ??
      createDovecotAuthClient({ host: config.DOVECOT_AUTH_HOST, port: config.DOVECOT_AUTH_PORT }),
    publicUrl: config.PUBLIC_URL,
    trustedProxies: config.TRUSTED_PROXIES.split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  });
  // Prometheus reads items by operation and outcome from the database on scrape.
  const unwatchItems = collectOnScrape(
    'hopthu_request_items',
    'Request items by operation and status (outcome)',
    ['operation', 'status'],
    async () =>
      (await itemsByOperationAndStatus(db)).map((r) => ({
        labels: { operation: r.operation, status: r.status },
        value: r.n,
      })),
  );
  app.addHook('onClose', async () => unwatchItems());
  return app;
}

/** What filing a request needs, from the configuration (the app and the import consumer share it). */
export function submitDepsOf(
  config: Config,
  parts: Pick<SubmitDeps, 'db' | 'clock' | 'newId' | 'approvalPolicies'>,
): SubmitDeps {
  return {
    ...parts,
    dataKey: dataKeys(parseKeyRing(config.DATA_KEYS), config.NATIONAL_ID_HASH_KEY),
    slaWorkingDays: config.SLA_WORKING_DAYS,
    credentialTtlHours: config.CREDENTIAL_TTL_HOURS,
    publicUrl: config.PUBLIC_URL,
  };
}

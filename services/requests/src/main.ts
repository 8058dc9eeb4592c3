// The requests service: its database, the consumers of directory state and provisioning results,
// the outbox relay of request events, the agency API (token, submit, read, one-time credential)
// and the admin routes.
import { Topics } from '@hopthu/shared/events';
import { newId, systemClock } from '@hopthu/shared/clock';
import { migrationsBeside, runServiceMain } from '@hopthu/shared/service-kit';
import { buildApp, submitDepsOf } from './app.ts';
import { loadRequestsConfig } from './config.ts';
import { startDirectoryConsumer, startResultsConsumer } from './consumers/requests-consumers.ts';
import type { Database } from './db/schema.ts';
import type { ApprovalPolicies } from './domain/approval/approval-policies.ts';
import { loadApprovalPolicies } from './domain/approval/approval-policy-file.ts';

const config = loadRequestsConfig();
let approvalPolicies!: ApprovalPolicies;

await runServiceMain<Database>({
  name: 'requests',
  config,
  migrations: migrationsBeside(import.meta.dirname),
  provincePolicies: { dir: config.PROVINCE_POLICY_DIR },
  before: (logger) => {
    // a bad approval policy file stops the service with every problem named
    approvalPolicies = loadApprovalPolicies(config.APPROVAL_POLICY_FILE);
    if (config.APPROVAL_POLICY_FILE)
      logger.info(
        { file: config.APPROVAL_POLICY_FILE, provinces: approvalPolicies.list().map((p) => p.province) },
        'approval policies loaded',
      );
  },
  topics: [
    { topic: Topics.requests },
    { topic: Topics.provisioningResults },
    { topic: Topics.directory, compacted: true },
  ],
  parts: ({ db, logger, bus, readiness }) => ({
    app: buildApp({ config, db, logger, approvalPolicies, readiness, clock: systemClock, newId }),
    consumers: {
      'directory consumer': () =>
        startDirectoryConsumer({
          db,
          bus,
          logger,
          clock: systemClock,
          // the credentials an import owes are filed as a request, with what any request needs
          submit: submitDepsOf(config, { db, clock: systemClock, newId, approvalPolicies }),
        }),
      'results consumer': () =>
        startResultsConsumer({ db, bus, logger, clock: systemClock, publicUrl: config.PUBLIC_URL }),
    },
  }),
});

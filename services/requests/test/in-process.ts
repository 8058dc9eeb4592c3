// The requests service in process, shared by its component tests and its bench (bench/bulk-post.ts):
// buildApp(deps) on a scratch database cloned from the migrated template, called with Fastify's
// inject (no port, no running service, no Kafka); the directory's events reach the replica through
// the consumer's own handler (createConsumerHarness). Also the two steps every agency scenario
// starts with: the agency in the replica, and an API client of it holding a token.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '@hopthu/shared/clock';
import { loadConfig } from '@hopthu/shared/config';
import { type AnyEnvelope, buildEvent, type EventData, Topics } from '@hopthu/shared/events';
import { localStackEnv } from '@hopthu/shared/local-env';
import type { Logger } from '@hopthu/shared/logger';
import {
  type ConsumerHarness,
  clientAssertion,
  createConsumerHarness,
  createScratchDatabase,
  type ScratchDatabase,
} from '@hopthu/shared/testing';
import { exportJWK, generateKeyPair } from 'jose';
import { buildApp, submitDepsOf } from '../src/app.ts';
import { ConfigSchema } from '../src/config.ts';
import { directoryHandler } from '../src/consumers/requests-consumers.ts';
import type { Database } from '../src/db/schema.ts';
import { createApprovalPolicies } from '../src/domain/approval/approval-policies.ts';
import type { SubmitDeps } from '../src/domain/requests/submit-request.ts';

export interface InProcessRequests {
  scratch: ScratchDatabase<Database>;
  config: ReturnType<typeof loadConfig<typeof ConfigSchema>>;
  app: ReturnType<typeof buildApp>;
  approvalPolicies: ReturnType<typeof createApprovalPolicies>;
  /** What the directory consumer's handler submits with (a reclaim's or handover's request). */
  submitDeps: SubmitDeps;
  /** The directory consumer's handler in its inbox transaction: hopthu.directory.v1 into the replica. */
  directory: ConsumerHarness;
  clock: Clock;
  close(): Promise<void>;
}

/** The service on a scratch database of its own; `close` ends the app and drops the database. */
export async function startRequestsInProcess(opts: {
  clock: Clock;
  logger: Logger;
  /** The pool size (the service's own is 10). */
  max?: number;
}): Promise<InProcessRequests> {
  const { clock, logger } = opts;
  const scratch = await createScratchDatabase<Database>({
    service: 'requests',
    migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
    ...(opts.max ? { max: opts.max } : {}),
  });
  const config = loadConfig(ConfigSchema, { ...localStackEnv(), DATABASE_URL: scratch.url });
  const approvalPolicies = createApprovalPolicies();
  const app = buildApp({
    config,
    db: scratch.db,
    logger,
    readiness: async () => {},
    approvalPolicies,
    clock,
    verifyMailboxPassword: async () => false,
  });
  await app.ready();
  const submitDeps = submitDepsOf(config, { db: scratch.db, clock, newId: randomUUID, approvalPolicies });
  const directory = createConsumerHarness({
    db: scratch.db,
    consumer: 'requests-directory',
    logger,
    handle: directoryHandler({ clock, submit: submitDeps }),
  });
  return {
    scratch,
    config,
    app,
    approvalPolicies,
    submitDeps,
    directory,
    clock,
    close: async () => {
      await app.close();
      await scratch.drop();
    },
  };
}

/** A Bắc Ninh agency as hopthu.directory.v1 brings it to the replica (a Sở with no parent). */
export async function replicaAgency(
  fx: Pick<InProcessRequests, 'directory' | 'clock'>,
  agency: Pick<
    EventData<'vn.gov.hopthu.directory.agency.v1'>,
    'agencyId' | 'domain' | 'name' | 'abbreviation' | 'officialMailbox'
  >,
): Promise<void> {
  await fx.directory.deliver(
    Topics.directory,
    buildEvent(
      'vn.gov.hopthu.directory.agency.v1',
      { ...agency, province: 'bac-ninh', parentId: null, unitType: 'so', ancestorIds: [agency.agencyId] },
      { source: 'hopthu/directory', subject: agency.agencyId, time: fx.clock.now() },
    ),
  );
}

/**
 * Registers an API client of the agency (admin API) and trades an assertion signed at the service's
 * time (its clock, not the machine's) for an access token; throws with the answer when refused.
 */
export async function agencyAccessToken(
  fx: Pick<InProcessRequests, 'app' | 'config' | 'clock'>,
  agencyId: string,
  name = 'Hệ thống văn bản thử',
): Promise<string> {
  const clientId = `client-${randomUUID()}`;
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k-${randomUUID()}`;
  const registered = await fx.app.inject({
    method: 'POST',
    url: '/admin/clients',
    headers: { authorization: `Bearer ${fx.config.ADMIN_TOKEN}` },
    payload: {
      clientId,
      agencyId,
      name,
      jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    },
  });
  if (registered.statusCode !== 201) throw new Error(`client not registered: ${registered.body}`);
  const assertion = await clientAssertion(
    {
      clientId,
      privateJwk: { ...(await exportJWK(privateKey)), kid },
      tokenUrl: `${fx.config.PUBLIC_URL}/oauth/token`,
    },
    { issuedAtOffsetSeconds: Math.round((fx.clock.now().getTime() - Date.now()) / 1000) },
  );
  const res = await tokenRequest(fx.app, assertion);
  if (res.statusCode !== 200) throw new Error(`no token: ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

/** POST /oauth/token with a client assertion (client_credentials), injected; the answer as it came. */
export function tokenRequest(app: Pick<InProcessRequests['app'], 'inject'>, assertion: string) {
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString(),
  });
}

/**
 * The provisioner's result of a create for one item, as the results consumer reads it (a new
 * command and mailbox id each); `error` says why a failed one failed.
 */
export function createResult(
  result: { requestId: string; itemId: string; address: string } & (
    | { outcome: 'applied' }
    | { outcome: 'failed'; error: string }
  ),
  time?: Date,
): AnyEnvelope {
  return buildEvent(
    'vn.gov.hopthu.provisioning.result.v1',
    {
      commandId: randomUUID(),
      mailboxId: randomUUID(),
      generation: 1,
      action: 'create',
      attempts: 1,
      ...result,
    },
    {
      source: 'hopthu/provisioner',
      subject: result.itemId,
      correlationId: result.requestId,
      ...(time ? { time } : {}),
    },
  ) as AnyEnvelope;
}

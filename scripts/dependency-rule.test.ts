// The dependency rule (.dependency-cruiser.cjs) catches what it is there for: each test lays out a
// small tree shaped like the repository (services/<name>/src/domain/…, packages/naming/…) in a
// temporary folder, runs dependency-cruiser on it with the project's own configuration, and reads
// the exit code and the names of the rules it reports.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..');
const depcruise = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');

const trees: string[] = [];
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → source) into a fresh folder that sees the repository's node_modules. */
function layOut(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hopthu-depcruise-'));
  trees.push(dir);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  return dir;
}

function cruise(dir: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [depcruise, 'services', 'packages', '--config', config], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

// What a clean service looks like: the use case holds a transaction type and calls db/; the route
// and the adapter depend on the domain, not the other way round.
const cleanService = {
  'services/alpha/src/domain/ports.ts': 'export interface Mailer { send(to: string): Promise<void> }\n',
  'services/alpha/src/db/item-repository.ts':
    "import { sql, type Kysely } from 'kysely';\nexport const findItem = (db: Kysely<unknown>) => sql`SELECT 1`.execute(db);\n",
  'services/alpha/src/domain/do-thing.ts': [
    "import type { Transaction } from 'kysely';",
    "import { findItem } from '../db/item-repository.ts';",
    "import type { Mailer } from './ports.ts';",
    'export const doThing = (trx: Transaction<unknown>, mailer: Mailer) => findItem(trx).then(() => mailer.send("x"));',
    '',
  ].join('\n'),
  'services/alpha/src/http/routes.ts':
    "import type { FastifyInstance } from 'fastify';\nimport { doThing } from '../domain/do-thing.ts';\nexport const routes = (app: FastifyInstance) => [app, doThing];\n",
  'services/alpha/src/adapters/smtp-mailer.ts':
    "import type { Mailer } from '../domain/ports.ts';\nexport const mailer: Mailer = { send: async () => {} };\n",
  'packages/naming/src/rules.ts':
    "import { Type } from '@sinclair/typebox';\nexport const Name = Type.String();\n",
};

// each case starts dependency-cruiser afresh (a second or more on a busy machine)
describe('the dependency rule', { timeout: 30_000 }, () => {
  it('when every layer points inward, then the check passes', () => {
    const r = cruise(layOut(cleanService));
    expect(r.output).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it('when a domain file imports an HTTP schema, then the check fails naming the rule', () => {
    const r = cruise(
      layOut({
        ...cleanService,
        'services/alpha/src/http/schemas.ts': 'export type Body = { name: string };\n',
        'services/alpha/src/domain/validate.ts':
          "import type { Body } from '../http/schemas.ts';\nexport const validate = (b: Body) => b.name;\n",
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('domain-not-to-entry-points-or-adapters');
    expect(r.output).toContain('services/alpha/src/domain/validate.ts');
  });

  it('when a domain file imports fastify, kafkajs or pg, or builds a query with kysely, then the check fails', () => {
    const r = cruise(
      layOut({
        ...cleanService,
        'services/alpha/src/domain/leaky.ts': [
          "import Fastify from 'fastify';",
          "import { Kafka } from 'kafkajs';",
          "import pg from 'pg';",
          "import { sql } from 'kysely';",
          'export const all = [Fastify, Kafka, pg, sql];',
          '',
        ].join('\n'),
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('domain-not-to-web-kafka-or-driver');
    expect(r.output).toContain('domain-queries-only-in-db');
  });

  it('when one service imports another, then the check fails', () => {
    const r = cruise(
      layOut({
        ...cleanService,
        'services/beta/src/domain/borrow.ts':
          "import { doThing } from '../../../alpha/src/domain/do-thing.ts';\nexport const borrowed = doThing;\n",
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('services-not-to-each-other');
  });

  it('when the naming package imports infrastructure, then the check fails', () => {
    const r = cruise(
      layOut({
        ...cleanService,
        'packages/shared/src/db.ts': "import pg from 'pg';\nexport const Pool = pg.Pool;\n",
        'packages/naming/src/lookup.ts':
          "import { Pool } from '../../shared/src/db.ts';\nimport pino from 'pino';\nexport const x = [Pool, pino];\n",
      }),
    );
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('pure-packages-not-to-infrastructure');
    expect(r.output).toContain('packages/naming/src/lookup.ts');
  });
});

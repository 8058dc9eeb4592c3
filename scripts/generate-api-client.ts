// Regenerates the agency API's contract files from the running requests service: the OpenAPI
// document as published (docs/openapi/requests.json, what agency developers generate their own
// clients from) and the TypeScript types of it (packages/shared/src/generated/requests-api.ts)
// that the project's own agency client is typed with. test/openapi.test.ts fails while either is
// stale, so a change to a route that is not regenerated here cannot land.
//   node scripts/generate-api-client.ts [requests base URL]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { requestsApiTypes } from '../packages/shared/src/generated/generate.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const base = process.argv[2] ?? 'http://127.0.0.1:3001';
const res = await fetch(`${base}/docs/json`);
if (!res.ok) throw new Error(`${base}/docs/json answered ${res.status}`);
const document = (await res.json()) as Record<string, unknown>;
writeFileSync(path.join(root, 'docs/openapi/requests.json'), `${JSON.stringify(document, null, 2)}\n`);
writeFileSync(
  path.join(root, 'packages/shared/src/generated/requests-api.ts'),
  await requestsApiTypes(document),
);
console.log('wrote docs/openapi/requests.json and packages/shared/src/generated/requests-api.ts');

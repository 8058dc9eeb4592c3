// Writes docs/asyncapi.json from the event schemas (see src/asyncapi.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument } from '../src/asyncapi.ts';

const out = path.resolve(import.meta.dirname, '../../../docs/asyncapi.json');
writeFileSync(out, `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`);
console.log(`wrote ${out}`);

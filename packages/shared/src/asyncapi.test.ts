import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAsyncApiDocument, TopicCatalog } from './asyncapi.ts';
import { EventTypes, Topics } from './events.ts';

describe('the AsyncAPI document', () => {
  it('when the event schemas change, then docs/asyncapi.json must be generated again', () => {
    const committed = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../../../docs/asyncapi.json'), 'utf8'),
    );
    // regenerate with: node packages/shared/scripts/generate-asyncapi.ts
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildAsyncApiDocument())));
  });

  it('when a topic or an event type exists, then the catalogue describes it', () => {
    expect(Object.keys(TopicCatalog).sort()).toEqual(Object.values(Topics).sort());
    const described = new Set(Object.values(TopicCatalog).flatMap((t) => t.events));
    expect([...described].sort()).toEqual(Object.keys(EventTypes).sort());
  });

  it('when a message is described, then its payload carries the data schema of its type', () => {
    const doc = buildAsyncApiDocument() as {
      components: { messages: Record<string, { name: string; payload: { properties: { data: unknown } } }> };
    };
    const approved = Object.values(doc.components.messages).find(
      (m) => m.name === 'vn.gov.hopthu.request.item.approved.v1',
    );
    expect(approved?.payload.properties.data).toMatchObject({
      type: 'object',
      properties: { operation: {} },
    });
  });
});

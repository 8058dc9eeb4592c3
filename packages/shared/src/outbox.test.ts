import { describe, expect, it } from 'vitest';
import { traceparentFor } from './outbox.ts';

describe('traceparentFor', () => {
  it('when the correlation id is a uuid, then the trace id is that uuid and the span comes from the event id', () => {
    expect(
      traceparentFor('0714C4F2-A822-4725-B160-510AF9815555', 'aae821db-260b-4171-9d6c-d4b9f3a1dd9e'),
    ).toBe('00-0714c4f2a8224725b160510af9815555-aae821db260b4171-01');
  });

  it('when the ids cannot make a valid trace context, then there is none', () => {
    expect(traceparentFor('req-42', 'aae821db-260b-4171-9d6c-d4b9f3a1dd9e')).toBeUndefined();
    expect(
      traceparentFor('00000000-0000-0000-0000-000000000000', 'aae821db-260b-4171-9d6c-d4b9f3a1dd9e'),
    ).toBeUndefined();
    expect(traceparentFor('0714c4f2-a822-4725-b160-510af9815555', 'short')).toBeUndefined();
  });
});

// The profile summary of scripts/profile-pipeline.ts: self time per function and per origin from
// the samples of a V8 .cpuprofile, with V8's pseudo-frames (idle, GC) as shares of the whole.
import { describe, expect, it } from 'vitest';
import { summariseProfile } from './profile-pipeline.ts';

const frame = (id: number, functionName: string, url = '', lineNumber = 0) => ({
  id,
  callFrame: { functionName, url, lineNumber },
});

describe('summariseProfile', () => {
  it('when samples fall on idle, the collector and code of a package and of the service, then each is its share of the time', () => {
    const profile = {
      nodes: [
        frame(1, '(root)'),
        frame(2, '(idle)'),
        frame(3, '(garbage collector)'),
        frame(4, 'visitNode', 'file:///work/main/node_modules/kysely/dist/visitor.js', 109),
        frame(5, 'recordResult', 'file:///work/main/services/requests/dist/main.mjs', 9),
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 2, 2, 2, 2, 3, 4, 4, 4, 5],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const summary = summariseProfile(profile);
    expect(summary).toMatchObject({ sampledMs: 10, idlePercent: 50, gcPercent: 10, programPercent: 0 });
    expect(summary.topFunctions[0]).toEqual({
      name: 'visitNode node_modules/kysely/dist/visitor.js:110',
      ms: 3,
      percent: 30,
    });
    expect(summary.topFunctions.map((f) => f.name)).not.toContain('(idle)');
    expect(summary.byOrigin).toEqual([
      { name: '(idle)', ms: 5, percent: 50 },
      { name: 'kysely', ms: 3, percent: 30 },
      { name: '(garbage collector)', ms: 1, percent: 10 },
      { name: 'hopthu (the service and @hopthu/*)', ms: 1, percent: 10 },
    ]);
  });
});

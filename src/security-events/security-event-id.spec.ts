import fc from 'fast-check';
import { securityEventId, securityEventTime } from './security-event-id';

describe(securityEventId.name, () => {
  it('makes a version 7, variant 1 UUID', () => {
    expect(securityEventId(new Date())).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('carries the millisecond it was made for', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        expect(securityEventTime(securityEventId(new Date(ms)))?.getTime()).toBe(ms);
      }),
    );
  });

  it('sorts as text in the order of its times', () => {
    const early = securityEventId(new Date('2026-01-01T00:00:00.000Z'));
    const late = securityEventId(new Date('2026-01-01T00:00:00.001Z'));

    expect(early < late).toBe(true);
  });

  it('reads upper-case ids too', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');

    expect(securityEventTime(securityEventId(at).toUpperCase())).toEqual(at);
  });
});

describe(securityEventTime.name, () => {
  it.each([
    '',
    'not-an-id',
    '0195f3b2-6a1c-4f3e-8a9b-1c2d3e4f5a6b',
    '0195f3b2-6a1c-7f3e-ca9b-1c2d3e4f5a6b',
    '0195f3b2-6a1c-7f3e-8a9b-1c2d3e4f5a6',
  ])('refuses %j, which is no version 7 UUID', (text) => {
    expect(securityEventTime(text)).toBeUndefined();
  });
});

describe(`${securityEventId.name} within one millisecond`, () => {
  it('counts up, so ids of the same millisecond sort in the order they were made', () => {
    const at = new Date('2026-05-05T05:05:05.005Z');

    const ids = Array.from({ length: 50 }, () => securityEventId(at));

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
  });
});

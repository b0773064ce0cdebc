import { parseShift } from '../../src/domain/shift';

const detail = { shiftId: 'DC1-2026-03-02-EARLY', siteId: 'DC1', startedAt: '2026-03-02T07:00:00+01:00', endedAt: '2026-03-02T15:00:00+01:00' };

describe('parseShift', () => {
  test('normalizes the times to UTC', () => {
    expect(parseShift(detail)).toEqual({ ...detail, startedAt: '2026-03-02T06:00:00.000Z', endedAt: '2026-03-02T14:00:00.000Z' });
  });

  test.each([
    [{ shiftId: undefined }, 'shiftId undefined is not an id (1-64 letters, digits, ".", "_", ":" or "-")'],
    [{ siteId: '' }, 'siteId "" is not an id (1-64 letters, digits, ".", "_", ":" or "-")'],
    [{ startedAt: '2026-03-02' }, 'startedAt "2026-03-02" is not an ISO 8601 timestamp with a UTC offset'],
    [{ endedAt: '2026-03-02T07:00:00+01:00' }, 'Shift DC1-2026-03-02-EARLY from 2026-03-02T06:00:00.000Z to 2026-03-02T06:00:00.000Z does not last between 0 and 16 hours'],
    [{ endedAt: '2026-03-03T07:00:00+01:00' }, 'Shift DC1-2026-03-02-EARLY from 2026-03-02T06:00:00.000Z to 2026-03-03T06:00:00.000Z does not last between 0 and 16 hours'],
  ])('rejects %o: %s', (change, message) => {
    expect(() => parseShift({ ...detail, ...change })).toThrow(expect.objectContaining({ name: 'InvalidShiftEventError', message }));
  });
});

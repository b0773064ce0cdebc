import { describeDevice } from '../../src/domain/summary';

describe('describeDevice', () => {
  test('says when the scanner has no worker yet', () => {
    expect(describeDevice({
      serialNumber: 'RSW2601ZZ001',
      modelName: 'RS-W wearable ring scanner',
      firmwareVersion: '4.0.2',
      siteId: 'DC2',
      registeredAt: '2026-03-02T05:58:12.000Z',
    })).toBe('Scanner RSW2601ZZ001 (RS-W wearable ring scanner, firmware 4.0.2) is registered at site DC2 since 2026-03-02 and not assigned to a worker yet.');
  });
});

import { compareVersions, modelOfSerialNumber, parseRegistration } from '../../src/domain/registration';

const registered = {
  registrationId: 'reg-7f3c2a91',
  serialNumber: 'HSR2551AB12C',
  firmwareVersion: '4.0.0',
  siteId: 'DC1',
  registeredAt: '2026-03-02T05:58:12Z',
};

describe('compareVersions', () => {
  test.each([
    ['4.0.0', '4.0.0', 0],
    ['4.10.0', '4.9.3', 1],
    ['3.99.99', '4.0.0', -1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe('modelOfSerialNumber', () => {
  test.each([
    ['HSC2409K7Q2M', 'HSC'],
    ['RSW2601ZZ001', 'RSW'],
    ['XYZ2409K7Q2M', undefined], // unknown model
    ['HSC2454K7Q2M', undefined], // week 54
    ['HSC2400K7Q2M', undefined], // week 00
    ['hsc2409k7q2m', undefined],
  ])('%s is of model %s', (serialNumber, model) => {
    expect(modelOfSerialNumber(serialNumber)).toBe(model);
  });
});

describe('parseRegistration', () => {
  test('accepts the minimum firmware', () => {
    expect(parseRegistration(registered)).toEqual({ ...registered, model: 'HSR', modelName: 'HS-R rugged handheld', workerId: undefined, registeredAt: '2026-03-02T05:58:12.000Z' });
  });

  test.each([
    [{ registrationId: undefined }, 'registrationId undefined is not an id (1-64 letters, digits, ".", "_", ":" or "-")'],
    [{ siteId: 'DC 1' }, 'siteId "DC 1" is not an id (1-64 letters, digits, ".", "_", ":" or "-")'],
    [{ workerId: '' }, 'workerId "" is not an id (1-64 letters, digits, ".", "_", ":" or "-")'],
    [{ serialNumber: 'XYZ2409K7Q2M' }, 'serialNumber XYZ2409K7Q2M is of an unknown model XYZ: known models are HSC, HSR, RSW'],
    [{ firmwareVersion: '4.2' }, 'firmwareVersion "4.2" is not a version like 4.2.1'],
    [{ firmwareVersion: 'v4.2.1' }, 'firmwareVersion "v4.2.1" is not a version like 4.2.1'],
    [{ registeredAt: '02/03/2026 06:58' }, 'registeredAt "02/03/2026 06:58" is not an ISO 8601 timestamp with a UTC offset'],
  ])('rejects %o: %s', (change, message) => {
    expect(() => parseRegistration({ ...registered, ...change })).toThrow(message);
  });

  test('throws InvalidRegistrationError', () => {
    expect(() => parseRegistration({})).toThrow(expect.objectContaining({ name: 'InvalidRegistrationError' }));
  });
});

import * as path from 'path';
import { CliError, findFleetRoot, listServices, locateService, serviceDir } from '../src';

const REPO = path.resolve(__dirname, '..', '..');

describe('finding the fleet', () => {
  test('finds the fleet root from a folder below it', () => {
    expect(findFleetRoot(path.join(REPO, 'projects', 'scan-ingest', 'src'))).toBe(REPO);
  });

  test('lists the generated services', () => {
    expect(listServices(REPO)).toEqual(expect.arrayContaining(['device-registry', 'scan-ingest', 'shift-reports']));
  });

  test('an unknown service names the known ones', () => {
    expect(() => serviceDir(REPO, 'scan-ingst')).toThrow(CliError);
    expect(() => serviceDir(REPO, 'scan-ingst')).toThrow(/^Service "scan-ingst" not found in .*projects\. Fix: use one of .*"scan-ingest"/);
  });
});

describe('locating a service', () => {
  test('by name, from anywhere in the fleet', () => {
    expect(locateService('scan-ingest', path.join(REPO, 'docs'))).toEqual({ dir: path.join(REPO, 'projects', 'scan-ingest'), name: 'scan-ingest' });
  });

  test('inside a service folder, without a name (also in a service copied out on its own)', () => {
    expect(locateService(undefined, path.join(REPO, 'projects', 'device-registry'))).toEqual({
      dir: path.join(REPO, 'projects', 'device-registry'),
      name: 'device-registry',
    });
  });

  test('without a name outside a service folder, says how to name one', () => {
    expect(() => locateService(undefined, REPO)).toThrow(`No service named and ${REPO} is not a service folder. Fix: name a service (e.g. fleet run scan-ingest ...), or run inside projects/<service>/.`);
  });
});

describe('where projects are deployed', () => {
  test('the control plane runs once in the central account; the services and the tenant baseline in every tenant account', () => {
    expect(listServices(REPO, 'central-account')).toEqual(['control-plane']);
    expect(listServices(REPO, 'every-tenant-account')).toEqual(['device-registry', 'nightly-export', 'scan-ingest', 'shift-reports', 'tenant-baseline']);
  });
});

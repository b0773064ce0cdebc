import * as path from 'path';
import { CliError, findFleetRoot, listServices, serviceDir } from '../src';

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

import * as path from 'path';
import { CliError, findFleetRoot, listServices, locateService, serviceDir } from '../src';
import { aWorkflowService, escapeRegExp, misspelled, REPO, sampleFleet } from './fixtures/sample-fleet';

// The fleet is read from the manifest's output (fixtures/sample-fleet), never named here.
const fleet = sampleFleet();
const service = aWorkflowService();

describe('finding the fleet', () => {
  test('GIVEN a folder below the fleet root WHEN the root is looked up THEN it is found', () => {
    expect(findFleetRoot(path.join(service.dir, 'src'))).toBe(REPO);
  });

  test('GIVEN the sample fleet WHEN its services are listed THEN every project of the manifest is there, sorted', () => {
    expect(listServices(REPO)).toEqual(fleet.map((p) => p.name).sort());
  });

  test('GIVEN a misspelled service WHEN it is looked up THEN the error names the known ones', () => {
    const typo = misspelled(service.name);
    expect(() => serviceDir(REPO, typo)).toThrow(CliError);
    expect(() => serviceDir(REPO, typo)).toThrow(new RegExp(`^Service "${escapeRegExp(typo)}" not found in .*projects\\. Fix: use one of .*"${escapeRegExp(service.name)}"`));
  });
});

describe('locating a service', () => {
  test('by name, from anywhere in the fleet', () => {
    expect(locateService(service.name, path.join(REPO, 'docs'))).toEqual({ dir: service.dir, name: service.name });
  });

  test('inside a service folder, without a name (also in a service copied out on its own)', () => {
    for (const project of fleet) {
      expect(locateService(undefined, project.dir)).toEqual({ dir: project.dir, name: project.name });
    }
  });

  test('without a name outside a service folder, says how to name one', () => {
    // The example in the Fix line is the CLI's own text, not the sample fleet.
    expect(() => locateService(undefined, REPO)).toThrow(`No service named and ${REPO} is not a service folder. Fix: name a service (e.g. fleet run scan-ingest ...), or run inside projects/<service>/.`);
  });
});

describe('where projects are deployed', () => {
  test('GIVEN the sample fleet WHEN projects are listed by deployment THEN each is where its blueprint deploys it', () => {
    const names = (deployedTo: string) => fleet.filter((p) => p.deployedTo === deployedTo).map((p) => p.name).sort();
    expect(listServices(REPO, 'central-account')).toEqual(names('central-account'));
    expect(listServices(REPO, 'every-tenant-account')).toEqual(names('every-tenant-account'));
    // What the blueprints promise: the control plane once, in the central account; everything else in every tenant account.
    expect(fleet.filter((p) => p.deployedTo === 'central-account').map((p) => p.blueprint)).toEqual(['control-plane']);
  });
});

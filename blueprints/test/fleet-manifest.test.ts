import { existsSync } from 'fs';
import * as path from 'path';
import { Fleet, FleetManifestError, formatProblem, StepFunctionsService, StepFunctionsServiceDeclaration } from '../src';
import * as stepFunctionsOptions from '../src/step-functions-service/options';
import { listTree, synthFleet, tempDir } from './helpers';

const validService: StepFunctionsServiceDeclaration = { name: 'scan-ingest', blueprint: 'step-functions-service', functions: { 'validate-scan': {} } };

function problemsOf(services: unknown[], extra: object = {}): string[] {
  const fleet = new Fleet({ name: 'demo', outdir: tempDir(), services: services as any, installAfterChange: false, ...extra });
  return fleet.validate().map(formatProblem);
}

describe('fleet manifest validation', () => {
  test('a valid manifest has no problems', () => {
    expect(problemsOf([validService])).toEqual([]);
  });

  test('names the service, the option, the bad value and the fix', () => {
    expect(problemsOf([{ ...validService, name: 'Scan_Ingest' }])).toEqual([
      'services["Scan_Ingest"].name: must be kebab-case (lowercase letters and digits joined by single dashes, starting with a letter), got "Scan_Ingest". Fix: rename it, for example "scan-ingest".',
    ]);
  });

  test('rejects duplicate service names', () => {
    expect(problemsOf([validService, validService])).toEqual([
      'services["scan-ingest"].name: is declared twice (services[0] and services[1]), got "scan-ingest". Fix: give each service a unique name, or remove the duplicate.',
    ]);
  });

  test('rejects an unknown blueprint and lists the known ones', () => {
    expect(problemsOf([{ ...validService, blueprint: 'lambda-monolith' }])).toEqual([
      'services["scan-ingest"].blueprint: is not a known blueprint, got "lambda-monolith". Fix: use one of "step-functions-service", "control-plane", "tenant-baseline", or register yours in Fleet({ blueprints }).',
    ]);
  });

  test('rejects a service without functions', () => {
    expect(problemsOf([{ ...validService, functions: {} }])).toEqual([
      'services["scan-ingest"].functions: must name at least one function, got {}. Fix: add functions, e.g. functions: { "validate-scan": { tableAccess: "read" } }.',
    ]);
    expect(problemsOf([{ name: 'scan-ingest', blueprint: 'step-functions-service' }])).toEqual([
      'services["scan-ingest"].functions: is required: a service needs at least one function. Fix: add functions, e.g. functions: { "validate-scan": { tableAccess: "read" } }.',
    ]);
  });

  test('rejects an event route without a source, and a target that is not a function', () => {
    expect(problemsOf([{ ...validService, events: [{ detailType: 'Scan Uploaded', target: 'store-scan' }] }])).toEqual([
      'services["scan-ingest"].events[0].source: is required. Fix: name the event source to match, e.g. "scanner.device".',
      'services["scan-ingest"].events[0].target: must be "workflow" or the name of one of the service\'s functions, got "store-scan". Fix: use "workflow" or one of "validate-scan".',
    ]);
  });

  test('rejects reserved service and function names', () => {
    expect(problemsOf([{ ...validService, name: 'workflows', functions: { index: {} } }])).toEqual([
      'services["workflows"].name: is reserved (blueprints, workflows, projects, test, docs, bench, fleet, shared, lib, src), got "workflows". Fix: rename the service, e.g. "workflows-service".',
      'services["workflows"].functions["index"] (function name): is reserved (index, runtime, workflow, stack, main name generated files), got "index". Fix: rename it, e.g. "index-step".',
    ]);
  });

  test('suggests the option a typo meant', () => {
    expect(problemsOf([{ ...validService, functions: { 'validate-scan': { timeout: 5, tableAcess: 'read' } } }])).toEqual([
      'services["scan-ingest"].functions["validate-scan"].timeout: is not a known option, got 5. Fix: did you mean "timeoutSeconds"? The options are: description, tableAccess, timeoutSeconds, memoryMb.',
      'services["scan-ingest"].functions["validate-scan"].tableAcess: is not a known option, got "read". Fix: did you mean "tableAccess"? The options are: description, tableAccess, timeoutSeconds, memoryMb.',
    ]);
  });

  test('checks ranges and choices of function options', () => {
    expect(problemsOf([{ ...validService, functions: { 'validate-scan': { timeoutSeconds: 901, memoryMb: 64.5, tableAccess: 'all' } } }])).toEqual([
      'services["scan-ingest"].functions["validate-scan"].tableAccess: must be one of "none", "read", "write", "read-write", got "all". Fix: use one of "none", "read", "write", "read-write".',
      'services["scan-ingest"].functions["validate-scan"].timeoutSeconds: must be a whole number of seconds from 1 to 900, got 901. Fix: set a value between 1 and 900, or leave it out for the default.',
      'services["scan-ingest"].functions["validate-scan"].memoryMb: must be a whole number of MB from 128 to 10240, got 64.5. Fix: set a value between 128 and 10240, or leave it out for the default.',
    ]);
  });

  test('reports every problem of a broken manifest in one error and writes nothing', () => {
    const outdir = tempDir();
    const fleet = new Fleet({
      name: 'demo',
      outdir,
      installAfterChange: false,
      services: [
        { ...validService, name: 'Bad Name' },
        { name: 'orders', blueprint: 'step-functions-service', functions: {} },
        { name: 'billing', blueprint: 'nope', functions: { x1: {} } },
      ] as any,
    });
    let error: unknown;
    try {
      fleet.synthOrThrow();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetManifestError);
    expect((error as FleetManifestError).problems).toHaveLength(3);
    expect((error as Error).message.split('\n')[0]).toBe('The fleet manifest (.projenrc.ts) has 3 problems; no file was changed:');
    expect(listTree(outdir)).toEqual([]);
  });

  test('allows more than 15 functions, with a warning that suggests splitting', () => {
    const functions = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`step-${i + 1}`, {}]));
    const outdir = tempDir();
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      written.push(String(chunk));
      return true;
    });
    try {
      new Fleet({ name: 'demo', outdir, installAfterChange: false, services: [{ ...validService, functions }] }).synthOrThrow();
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain(
      'warning: services["scan-ingest"]: has 16 functions; a service is meant to have 5-15 small functions. Consider splitting it into two services along its workflow\'s sub-flows.',
    );
    expect(existsSync(path.join(outdir, 'projects/scan-ingest/src/functions/step-16.ts'))).toBe(true);
  });
});

describe('service options are validated once', () => {
  // The spy wraps the module export the constructors call; the fleet's own check goes through
  // the blueprint object, which holds the function itself, so only constructor checks are counted.
  test('GIVEN a valid fleet WHEN it synthesizes THEN no service constructor validates its options again', () => {
    const spy = jest.spyOn(stepFunctionsOptions, 'validateStepFunctionsServiceOptions');
    try {
      synthFleet(tempDir(), { name: 'demo', services: [validService] });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('GIVEN a service constructed directly (its own .projenrc.ts) WHEN its options are wrong THEN the constructor reports them', () => {
    const spy = jest.spyOn(stepFunctionsOptions, 'validateStepFunctionsServiceOptions');
    try {
      expect(() => new StepFunctionsService({ name: 'scan-ingest', functions: {}, outdir: tempDir() })).toThrow(FleetManifestError);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { StepFunctionsService, StepFunctionsServiceDeclaration } from '../src';
import { readSynthesisRecord, SYNTHESIS_RECORD_ENV, synthesisFailure } from '../src/private/synthesis-record';
import { synthFleet, tempDir } from './helpers';

const scanIngest: StepFunctionsServiceDeclaration = { name: 'scan-ingest', blueprint: 'step-functions-service', functions: { 'validate-scan': {} } };
const deviceRegistry: StepFunctionsServiceDeclaration = { name: 'device-registry', blueprint: 'step-functions-service', functions: { 'register-device': {} } };

/** Runs `fn` with the completion record going to a fresh file; returns the file's lines. */
function withRecord(fn: () => void): { file: string; lines: any[] } {
  const file = path.join(tempDir('record-'), 'record.jsonl');
  process.env[SYNTHESIS_RECORD_ENV] = file;
  try {
    fn();
  } finally {
    delete process.env[SYNTHESIS_RECORD_ENV];
  }
  let text = '';
  try {
    text = readFileSync(file, 'utf-8');
  } catch {
    // nothing recorded
  }
  return { file, lines: text.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('drift cannot be hidden: the completion record of a synthesis', () => {
  test('records each service before generating it, then one completion record listing every project', () => {
    const outdir = tempDir();
    const { lines } = withRecord(() => synthFleet(outdir, { name: 'demo', services: [scanIngest, deviceRegistry] }));

    expect(lines).toEqual([
      { step: { kind: 'fleet', name: 'demo', outdir } },
      { step: { kind: 'service', name: 'scan-ingest', outdir: path.join(outdir, 'projects/scan-ingest') } },
      { step: { kind: 'service', name: 'device-registry', outdir: path.join(outdir, 'projects/device-registry') } },
      { step: { kind: 'fleet', name: 'demo', outdir } },
      { complete: true, projects: [outdir, path.join(outdir, 'projects/scan-ingest'), path.join(outdir, 'projects/device-registry')] },
    ]);
  });

  test('has no completion record when the manifest is rejected', () => {
    const outdir = tempDir();
    const { file } = withRecord(() => expect(() => synthFleet(outdir, { name: 'demo', services: [{ ...scanIngest, functions: {} }] })).toThrow());

    const record = readSynthesisRecord(file);
    expect(record.completedProjects).toBeUndefined();
    expect(synthesisFailure({ status: 0, signal: null }, record, outdir)).toBe(
      'Synthesis of the fleet root "demo" (.): .projenrc.ts exited with code 0 but without its completion record, so it stopped before the end. ' +
        'Fix: make sure nothing calls process.exit() during synthesis and that .projenrc.ts ends with synth(), then run "npx projen" again.',
    );
  });

  test('a standalone service writes its own completion record', () => {
    const outdir = tempDir();
    const { lines } = withRecord(() => new StepFunctionsService({ name: 'scan-ingest', functions: { 'validate-scan': {} }, outdir }).synth());

    expect(lines).toEqual([{ step: { kind: 'service', name: 'scan-ingest', outdir } }, { complete: true, projects: [outdir] }]);
  });

  test('a record cut short by a kill is not complete, and the failure names the service and the signal', () => {
    const outdir = tempDir();
    const { file } = withRecord(() => synthFleet(outdir, { name: 'demo', services: [scanIngest] }));
    const cut = readFileSync(file, 'utf-8').split('\n').slice(0, 2).join('\n') + '\n{"complete":tr';
    writeFileSync(file, cut);

    const record = readSynthesisRecord(file);
    expect(record.completedProjects).toBeUndefined();
    expect(synthesisFailure({ status: null, signal: 'SIGTERM' }, record, outdir)).toBe(
      'Synthesis of service "scan-ingest" (projects/scan-ingest): .projenrc.ts was ended by signal SIGTERM before it completed, so generated files may be partly written. ' +
        'Fix: find what ended it (out of memory, a time limit, a blueprint that ends its own process), then run "npx projen" again.',
    );
  });
});

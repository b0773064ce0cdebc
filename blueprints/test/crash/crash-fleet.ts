import { FleetOptions } from '../../src';

/**
 * The fleet the crash test generates: v1, then v2 (one more function: new owned files, a changed
 * stack, README and ledger; a changed owned sample, so the ledger records a proposal).
 */
export function crashFleet(version: 'v1' | 'v2'): Omit<FleetOptions, 'outdir'> {
  const functions: Record<string, object> = version === 'v1'
    ? { 'validate-scan': {} }
    : { 'validate-scan': { description: 'Validates the scan.' }, 'store-scan': { tableAccess: 'write' } };
  return {
    name: 'demo',
    services: [{ name: 'scan-ingest', blueprint: 'step-functions-service', description: version === 'v1' ? 'Ingests scans.' : 'Ingests scans, v2.', functions }],
  };
}

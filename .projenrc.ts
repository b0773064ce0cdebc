/**
 * The fleet manifest: which services exist, which blueprint generates each, and their options.
 * Run `npx projen` after any change; every service under projects/ is regenerated from it.
 */
import { Fleet } from '@fleet/blueprints';
import { SCHEDULED_JOB } from '@fleet-teams/scheduled-job-blueprint';

const fleet = new Fleet({
  name: 'smart-scanner-fleet',
  // A team's own blueprint, kept in this repository as its own package (docs/writing-a-blueprint.md).
  blueprintPackages: ['team-blueprints/scheduled-job'],
  blueprints: [SCHEDULED_JOB],
  services: [
    {
      // The central account: failure bus for every tenant account, central DLQ, and later the rollout engine.
      name: 'control-plane',
      blueprint: 'control-plane',
      description: 'The fleet control plane: organization-scoped failure bus and central DLQ.',
      organizationId: 'o-a1b2c3d4e5',
      // One StackSet per tenant service (the onboarding path); rollouts go through the engine.
      stackSets: {
        services: ['tenant-baseline', 'scan-ingest', 'device-registry', 'shift-reports'],
        regions: ['eu-west-1'],
        organizationalUnitIds: ['ou-a1b2-tenants1'],
      },
    },
    {
      // Once per tenant account: the role fleet dlq redrive assumes, and two account-wide alarms.
      name: 'tenant-baseline',
      blueprint: 'tenant-baseline',
      centralAccountId: '999988887777',
      organizationId: 'o-a1b2c3d4e5',
    },
    {
      name: 'scan-ingest',
      blueprint: 'step-functions-service',
      description: 'Accepts barcode scans from handheld scanners, validates, deduplicates, enriches and stores them.',
      functions: {
        'validate-scan': { description: 'Checks that a scan has a device, a barcode and a plausible timestamp.' },
        'deduplicate-scan': { description: 'Drops scans already stored (scanners resend on flaky Wi-Fi).', tableAccess: 'read' },
        'enrich-scan': { description: 'Derives the barcode symbology and GS1 company prefix.' },
        'store-scan': { description: 'Stores the scan under its device and day.', tableAccess: 'write' },
        'count-scan': { description: 'Increments the per-device and per-shift scan counters.', tableAccess: 'read-write' },
      },
      events: [{ source: 'scanner.device', detailType: 'Scan Uploaded' }],
    },
    {
      name: 'device-registry',
      blueprint: 'step-functions-service',
      description: 'Keeps the tenant\'s inventory of scanners: registration, assignment to a worker, heartbeats.',
      functions: {
        'validate-registration': { description: 'Checks serial number format and firmware version of a new scanner.' },
        'register-device': { description: 'Creates the device record, refusing a serial number already registered.', tableAccess: 'read-write' },
        'assign-worker': { description: 'Assigns the device to a worker, ending any previous assignment.', tableAccess: 'read-write' },
        'record-heartbeat': { description: 'Records battery and last-seen time from a device heartbeat.', tableAccess: 'write' },
        'summarize-device': { description: 'Builds the registration summary returned to the caller.', tableAccess: 'read' },
      },
      events: [
        { source: 'scanner.device', detailType: 'Device Registered' },
        { source: 'scanner.device', detailType: 'Device Heartbeat', target: 'record-heartbeat' },
      ],
    },
    {
      name: 'shift-reports',
      blueprint: 'step-functions-service',
      description: 'Builds an end-of-shift report: scans per worker, pace, anomalies.',
      functions: {
        'load-shift-scans': { description: 'Loads the counters recorded for the shift.', tableAccess: 'read' },
        'compute-shift-metrics': { description: 'Computes totals and scans per hour for each worker.' },
        'detect-anomalies': { description: 'Flags workers whose pace is far from the shift median.' },
        'store-shift-report': { description: 'Stores the finished report under its shift id.', tableAccess: 'write' },
        'format-shift-summary': { description: 'Formats a one-paragraph summary for the supervisor.' },
        'tally-scan': { description: 'Adds each uploaded scan to its worker\'s shift tally, exactly once.', tableAccess: 'read-write' },
      },
      events: [
        { source: 'scanner.shift', detailType: 'Shift Ended' },
        // The same scans scan-ingest receives: each service keeps the data it needs in its own table.
        { source: 'scanner.device', detailType: 'Scan Uploaded', target: 'tally-scan' },
      ],
    },
    {
      name: 'nightly-export',
      blueprint: 'scheduled-job',
      description: 'Exports the day\'s scan counters of the tenant account once a night, at the account\'s own minute.',
      everyHours: 24,
      flexibleWindowMinutes: 30,
      functions: {
        'collect-counters': { description: 'Reads the counters of the day to export.', tableAccess: 'read' },
        'write-export': { description: 'Writes the export record of the run.', tableAccess: 'write', timeoutSeconds: 60 },
      },
    },
  ],
});

fleet.synth();

import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readJson, sampleEventsHint } from '../src/commands/run';

describe('fleet run: the input', () => {
  test('GIVEN --input naming a folder WHEN it is read THEN the error says it is a folder and names a JSON file in it (no raw EISDIR)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-run-input-'));
    mkdirSync(path.join(dir, 'events'));
    writeFileSync(path.join(dir, 'events', 'order-placed.json'), '{}');
    const events = path.join(dir, 'events');
    expect(() => readJson(events, '--input', 'the execution input')).toThrow(
      `--input ${JSON.stringify(events)}: is a folder, not a file. Fix: give the path of one JSON file with the execution input, e.g. ${path.join(events, 'order-placed.json')}.`,
    );
  });

  test('GIVEN a service with sample events WHEN fleet run has no --input THEN the hint names the sample events relative to the current folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-run-samples-'));
    mkdirSync(path.join(dir, 'events'));
    writeFileSync(path.join(dir, 'events', 'order-placed.json'), '{}');
    writeFileSync(path.join(dir, 'events', 'order-cancelled.json'), '{}');
    expect(sampleEventsHint(dir, 'orders', dir)).toBe(
      'fleet run orders: no --input, so the workflow runs on {}. The service\'s sample events: events/order-cancelled.json, events/order-placed.json. Fix: pass one, e.g. --input events/order-cancelled.json.',
    );
  });

  test('GIVEN a service without sample events WHEN fleet run has no --input THEN no hint is printed', () => {
    expect(sampleEventsHint(mkdtempSync(path.join(os.tmpdir(), 'fleet-run-none-')), 'orders')).toBeUndefined();
  });
});

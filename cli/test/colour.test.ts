import { spawnSync } from 'child_process';
import * as path from 'path';
import { colourEnabled, paletteFor } from '../src/colour';
import { formatError, formatOk, formatWarning } from '../src/print';

const terminal = { isTTY: true, hasColors: () => true };
const pipe = {};
const RED = '\u001b[31m';

describe('colour on a terminal only', () => {
  test('GIVEN a terminal WHEN nothing is set THEN lines are coloured', () => {
    expect(colourEnabled(terminal, {})).toBe(true);
    expect(formatError('x: bad, got 1. Fix: use 2.', terminal)).toBe('\u001b[31mx: bad, got 1.\u001b[39m \u001b[1mFix:\u001b[22m use 2.');
    expect(formatWarning('look', terminal)).toBe('\u001b[33mwarning:\u001b[39m look');
    expect(formatOk('Generated projects/a.', terminal)).toBe('\u001b[32mGenerated projects/a.\u001b[39m');
  });

  test('GIVEN a pipe WHEN nothing is set THEN the text is exactly what tests and scripts read', () => {
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(formatError('x: bad, got 1. Fix: use 2.', pipe)).toBe('x: bad, got 1. Fix: use 2.');
    expect(formatWarning('look', pipe)).toBe('warning: look');
  });

  test('GIVEN NO_COLOR (any non-empty value) WHEN on a terminal THEN no colour; an empty NO_COLOR is ignored', () => {
    expect(colourEnabled(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(terminal, { NO_COLOR: '' })).toBe(true);
  });

  test('GIVEN FORCE_COLOR WHEN piped THEN colour; FORCE_COLOR=0 or false turns it off even on a terminal', () => {
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colourEnabled(terminal, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(terminal, { FORCE_COLOR: 'false' })).toBe(false);
  });

  test('GIVEN a terminal that reports no colours (TERM=dumb) WHEN nothing forces it THEN no colour', () => {
    expect(colourEnabled({ isTTY: true, hasColors: () => false }, {})).toBe(false);
    expect(paletteFor({ isTTY: true, hasColors: () => false }, {}).error('e')).toBe('e');
  });

  test('GIVEN the fleet command WHEN a user error goes to a pipe, or to a pipe with FORCE_COLOR THEN it is plain, or red', () => {
    const fleet = path.resolve(__dirname, '..', 'bin', 'fleet.js');
    const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [fleet, 'graph', 'no-such-service-here'], { encoding: 'utf-8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, ...env } });
    const plain = run({});
    expect(plain.stderr).toMatch(/^Service "no-such-service-here" not found in .*\. Fix: /);
    expect(plain.stderr).not.toContain('\u001b[');
    expect(run({ FORCE_COLOR: '1' }).stderr.startsWith(`${RED}Service "no-such-service-here" not found`)).toBe(true);
    expect(run({ NO_COLOR: '1' }).stderr).not.toContain('\u001b[');
  });
});

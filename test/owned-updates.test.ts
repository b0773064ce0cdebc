import { execFileSync } from 'child_process';
import * as path from 'path';
import { REPO } from './support';

/**
 * The sample fleet takes its own medicine: when a blueprint improves the sample of an owned
 * file, the sample services take the update (`npx fleet owned --apply`, then review and commit)
 * in the same change. This runs the real command, as a team would, and fails while any
 * generated project has a proposal it has not taken.
 */
describe('owned files of the sample fleet', () => {
  test('have no blueprint update waiting', () => {
    const output = execFileSync(process.execPath, [path.join(REPO, 'cli', 'bin', 'fleet.js'), 'owned'], { cwd: REPO, encoding: 'utf-8' });
    const lines = output.trim().split('\n');
    // Up to date; add-only and never-update files are named as not compared (they are the team's as they are).
    expect(lines.filter((line) => !/^[a-z0-9-]+: up to date($|; not compared with the blueprint)/.test(line))).toEqual([]);
    expect(lines.length).toBeGreaterThanOrEqual(5);
  });
});

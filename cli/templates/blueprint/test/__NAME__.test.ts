import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { formatProblem } from '@fleet/blueprints';
import { __CLASS__, __CONST__ } from '../src';

describe('the __NAME__ blueprint', () => {
  test('GIVEN a description that is not text WHEN validated THEN the problem names it, shows the value and says the fix', () => {
    expect(__CONST__.validate({ name: 'nightly-job', description: 42 }, 'services["nightly-job"]').map(formatProblem)).toEqual([
      'services["nightly-job"].description: must be a non-empty string, got 42. Fix: write one sentence, or leave it out.',
    ]);
  });

  test('GIVEN valid options WHEN generated THEN the service rebuilds itself from this package and runs on a jittered schedule', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), '__NAME__-'));
    new __CLASS__({ name: 'nightly-job', outdir }).synth();
    const read = (file: string) => readFileSync(path.join(outdir, file), 'utf-8');
    expect(read('.projenrc.ts')).toContain("import { __CLASS__ } from '__PACKAGE__';");
    expect(read('src/stack.ts')).toContain("new JitteredSchedule(this, 'Schedule', {");
    expect(JSON.parse(read('package.json')).fleet).toEqual({ blueprint: '__NAME__', deployedTo: 'every-tenant-account' });
  });
});

import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { readSynthesisRecord, SYNTHESIS_RECORD_ENV, synthesisFailure } from '../private/synthesis-record';

/**
 * CLI entry: `fleet-synth`, the default task of every fleet project (what `npx projen` runs).
 *
 * Runs `.projenrc.ts` with tsx's require hook (no type-check, see ARCHITECTURE.md) in a child
 * process and fails closed: a child ended by a signal, or one that exits 0 without its
 * completion record, is an error naming the project it stopped in and the signal. projen's task
 * runner cannot be relied on for this: it reports a child killed by a signal as exit code 0.
 */
export function main(argv: string[]): number {
  const dir = process.cwd();
  // fleet-drift passes its own record file down to check it too; otherwise use a private one.
  const inherited = process.env[SYNTHESIS_RECORD_ENV];
  const scratch = inherited ? undefined : mkdtempSync(path.join(tmpdir(), 'fleet-synth-'));
  const recordFile = inherited ?? path.join(scratch!, 'record.jsonl');
  try {
    const end = spawnSync(process.execPath, ['--require', 'tsx/cjs', '.projenrc.ts', ...argv], {
      cwd: dir,
      stdio: 'inherit',
      env: { ...process.env, [SYNTHESIS_RECORD_ENV]: recordFile },
    });
    const failure = synthesisFailure(end, readSynthesisRecord(recordFile), dir);
    if (failure) {
      process.stderr.write(`${failure}\n`);
      return 1;
    }
    // A non-zero exit: .projenrc.ts printed why.
    return end.status ?? 1;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

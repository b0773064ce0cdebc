import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { DlqCommandDeps, registerDlq } from '../../src/commands/dlq';
import { DEFAULT_TENANT_CLIENTS } from '../../src/dlq/tenant-access';
import { FakeClock } from './fake-sqs';

const DUMMY = { accessKeyId: 'AKIACENTRAL', secretAccessKey: 'x' };

export { FakeClock };

export interface RunResult {
  readonly output: string;
  readonly error?: Error;
}

/** Runs `fleet dlq ...` in-process against the mocked clients; pass the fake's clock so both see the same time. */
export async function runDlq(args: string[], opts: { env?: Record<string, string>; clock?: FakeClock } = {}): Promise<RunResult> {
  let output = '';
  const deps: DlqCommandDeps = {
    sqs: (region) => new SQSClient({ region, credentials: DUMMY }),
    sts: (region) => new STSClient({ region, credentials: DUMMY }),
    tenantClients: DEFAULT_TENANT_CLIENTS,
    clock: opts.clock ?? new FakeClock(),
    env: opts.env ?? {},
    write: (text) => {
      output += text;
    },
  };
  const program = new Command('fleet').exitOverride().configureOutput({ writeOut: (t) => { output += t; }, writeErr: (t) => { output += t; } });
  registerDlq(program, deps);
  try {
    await program.parseAsync(['node', 'fleet', 'dlq', ...args]);
    return { output };
  } catch (error) {
    return { output, error: error as Error };
  }
}

import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { DlqCommandDeps, registerDlq } from '../../src/commands/dlq';
import { Clock } from '../../src/dlq/rate-limiter';
import { DEFAULT_TENANT_CLIENTS } from '../../src/dlq/tenant-access';

const DUMMY = { accessKeyId: 'AKIACENTRAL', secretAccessKey: 'x' };

/** A clock whose sleeps return at once and advance time. */
export class FakeClock implements Clock {
  public time = 1_700_000_000_000;
  public slept = 0;
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
    this.slept += ms;
  }
}

export interface RunResult {
  readonly output: string;
  readonly error?: Error;
}

/** Runs `fleet dlq ...` in-process against the mocked clients. */
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

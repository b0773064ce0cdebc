import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/main';

describe('an AWS command without credentials', () => {
  test('GIVEN no AWS credentials anywhere WHEN fleet dlq list runs with the real SDK THEN it prints one error with a Fix line and exits 1', async () => {
    const empty = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleet-no-aws-')), 'config');
    writeFileSync(empty, '');
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    // No profile files, no instance metadata: the SDK's default chain finds nothing, without a network call.
    Object.assign(process.env, { AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    const err: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { err.push(String(chunk)); return true; });
    const before = process.exitCode;
    try {
      await main(['node', 'fleet', 'dlq', 'list', '--queue-url', 'https://sqs.eu-west-1.amazonaws.com/999988887777/fleet-failures']);
      expect({ stderr: err.join(''), exitCode: process.exitCode }).toEqual({
        stderr: 'fleet: found no AWS credentials, got "Could not load credentials from any providers". Fix: sign in to the account the command works on, e.g. aws sso login --profile <name> and export AWS_PROFILE=<name>, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.\n',
        exitCode: 1,
      });
    } finally {
      process.exitCode = before;
      stderr.mockRestore();
      process.env = saved;
    }
  });
});

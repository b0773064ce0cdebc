import { existsSync, writeFileSync } from 'fs';
import * as path from 'path';
import { FleetManifestError, formatProblem } from '../src';
import { TenantBaseline, TenantBaselineOptions, validateTenantBaselineOptions } from '../src/tenant-baseline';
import { isReadOnly, read, readTree, synthFleet, tempDir } from './helpers';

const OPTIONS: TenantBaselineOptions = { name: 'tenant-baseline', centralAccountId: '999988887777' };

function generate(options: TenantBaselineOptions = OPTIONS): { outdir: string; files: Record<string, string> } {
  const outdir = tempDir();
  new TenantBaseline({ ...options, outdir }).synth();
  return { outdir, files: readTree(outdir) };
}

describe('TenantBaseline', () => {
  const { outdir, files } = generate();
  const managed: string[] = JSON.parse(files['.projen/files.json']).files;

  test('generates the CDK app, its stack tests, CI, README; the team owns src/operations.ts', () => {
    expect(Object.keys(files).filter((f) => !f.startsWith('.projen/')).sort()).toEqual([
      '.gitattributes', '.github/workflows/ci.yml', '.gitignore', '.projenrc.ts', 'README.md', 'package.json',
      'src/main.ts', 'src/operations.ts', 'src/stack.ts', 'test/stack.test.ts', 'tsconfig.json',
    ]);
    expect(managed).not.toContain('src/operations.ts');
    for (const file of ['src/stack.ts', 'src/main.ts', 'test/stack.test.ts', 'README.md', '.projenrc.ts']) {
      expect(isReadOnly(outdir, file)).toBe(true);
    }
  });

  test('is deployed into every tenant account, so fleet cost prices it per tenant', () => {
    expect(JSON.parse(files['package.json']).fleet).toEqual({ blueprint: 'tenant-baseline', deployedTo: 'every-tenant-account' });
  });

  test('the stack extends the fleet TenantBaselineStack with the options', () => {
    expect(files['src/stack.ts']).toContain('export class TenantBaselineStack extends fleet.TenantBaselineStack {');
    expect(files['src/stack.ts']).toContain("      centralAccountId: '999988887777',\n    });");
    const custom = generate({ ...OPTIONS, recoveryRoleName: 'AcmeRecovery', recoveryPrincipalArn: 'arn:aws:iam::999988887777:role/Operators', concurrencyThreshold: 400 }).files;
    expect(custom['src/stack.ts']).toContain("      recoveryPrincipalArn: 'arn:aws:iam::999988887777:role/Operators',\n      recoveryRoleName: 'AcmeRecovery',\n      concurrencyThreshold: 400,\n");
    expect(custom['test/stack.test.ts']).toContain("template.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'AcmeRecovery' }, 1);");
  });

  test('its own .projenrc.ts rebuilds it from the same options', () => {
    const rc = files['.projenrc.ts'];
    expect(rc).toContain("import { TenantBaseline } from '@fleet/blueprints';");
    expect(JSON.parse(rc.slice(rc.indexOf('new TenantBaseline(') + 'new TenantBaseline('.length, rc.lastIndexOf(').synth();')))).toEqual(OPTIONS);
  });

  test('the README says what each piece costs per account and who owns which file', () => {
    const readme = read(outdir, 'README.md');
    expect(readme).toContain('| `fleet-account-concurrent-executions` |');
    expect(readme).toContain('trusted by the central account `999988887777`');
    expect(readme).toContain('| `src/operations.ts` | owned |');
  });

  test('keeps the team\'s edit to src/operations.ts on regeneration', () => {
    const dir = tempDir();
    new TenantBaseline({ ...OPTIONS, outdir: dir }).synth();
    writeFileSync(path.join(dir, 'src/operations.ts'), '// edited by the team\n');
    new TenantBaseline({ ...OPTIONS, outdir: dir }).synth();
    expect(read(dir, 'src/operations.ts')).toBe('// edited by the team\n');
  });
});

describe('TENANT_BASELINE validation', () => {
  const messages = (options: unknown) => validateTenantBaselineOptions(options, 'services["tenant-baseline"]').map(formatProblem);

  test('accepts the minimal options', () => {
    expect(messages(OPTIONS)).toEqual([]);
  });

  test('reports every problem at once, each with the value and the fix', () => {
    expect(messages({ name: 'tenant-baseline', centralAccount: '999988887777', recoveryRoleName: 'no spaces allowed', concurrencyThreshold: 0 })).toEqual([
      'services["tenant-baseline"].centralAccount: is not a known option, got "999988887777". Fix: did you mean "centralAccountId"? The options are: name, description, centralAccountId, recoveryPrincipalArn, recoveryRoleName, concurrencyThreshold, organizationId, blueprint.',
      'services["tenant-baseline"].centralAccountId: is required: the recovery role trusts this account only. Fix: add centralAccountId: "<12 digits>", the account of the control plane (aws sts get-caller-identity --query Account there).',
      'services["tenant-baseline"].recoveryRoleName: must be an IAM role name: 1-64 letters, digits or +=,.@_-, got "no spaces allowed". Fix: use a name such as "FleetRecoveryRole", or leave it out.',
      'services["tenant-baseline"].concurrencyThreshold: must be a whole number of concurrent executions from 1 to 100000, got 0. Fix: set a value between 1 and 100000, or leave it out for the default.',
    ]);
  });

  test('an account id written as a number loses its leading zeros: it must be a string', () => {
    expect(messages({ ...OPTIONS, centralAccountId: 12345678901 })).toEqual([
      'services["tenant-baseline"].centralAccountId: must be an AWS account id: 12 digits, as a string, got 12345678901. Fix: write it in quotes with its leading zeros, for example "012345678901".',
    ]);
  });

  test('the trusted principal must live in the central account', () => {
    expect(messages({ ...OPTIONS, recoveryPrincipalArn: 'arn:aws:iam::111122223333:role/Operators' })).toEqual([
      'services["tenant-baseline"].recoveryPrincipalArn: must be in the central account 999988887777, got "arn:aws:iam::111122223333:role/Operators". Fix: use a role of account 999988887777, or correct centralAccountId.',
    ]);
  });

  test('the project refuses bad options before writing anything', () => {
    const dir = tempDir();
    expect(() => new TenantBaseline({ name: 'baseline', centralAccountId: 'x', outdir: dir } as any)).toThrow(FleetManifestError);
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
  });
});

describe('a fleet with a tenant baseline', () => {
  test('generates projects/tenant-baseline next to the services: tenant-baseline is a built-in blueprint', () => {
    const root = tempDir();
    synthFleet(root, { name: 'test-fleet', services: [{ blueprint: 'tenant-baseline', ...OPTIONS }] });
    expect(existsSync(path.join(root, 'projects/tenant-baseline/src/stack.ts'))).toBe(true);
    expect(JSON.parse(read(root, 'package.json')).workspaces).toContain('projects/tenant-baseline');
  });
});

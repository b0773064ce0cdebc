import { StackParameter, TENANT_DEPLOYMENT } from '@fleet/contracts';
import { S3Client } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { CliError } from '../errors';
import { findFleetRoot, listServices } from '../fleet-root';
import { BuiltRelease, buildRelease } from '../rollout/build-release';
import { findControlPlane } from '../rollout/control-plane';
import { loadRegistry, registryRegions } from '../rollout/load-registry';
import { checkReleaseBucketPrefix, publishRelease } from '../rollout/publish-release';
import { controlPlaneRegion, DEFAULT_ROLLOUT_DEPS, RolloutDeps } from '../rollout/rollout-clients';

export interface ReleaseOptions {
  all?: boolean;
  failureBusArn?: string;
  tenantDeadLetterQueueArn?: string;
  publish?: boolean;
  region?: string;
  controlPlaneStack?: string;
  releaseBucketPrefix?: string;
}

/** `fleet release <service...>|--all`: build (and with --publish, upload) content-addressed releases. */
export function registerRelease(program: Command, deps: RolloutDeps = DEFAULT_ROLLOUT_DEPS, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  program
    .command('release [services...]')
    .summary('build one immutable, content-addressed release per service; --publish uploads it')
    .description([
      'Synthesizes each service, takes its template and file assets (hashes from the cloud assembly) and the',
      'stack parameters, and writes .fleet/releases/<service>/<releaseId>/. The id is the service name and a',
      'hash of that content: the same sources give the same id, and tenants at that id are skipped by rollouts.',
      'Parameter values may contain {region}, replaced by each deployment\'s Region.',
    ].join('\n'))
    .option('--all', 'every tenant service of the fleet')
    .option('--failure-bus-arn <arn>', 'FailureBusArn parameter, e.g. arn:aws:events:{region}:<central account>:event-bus/<bus>')
    .option('--tenant-dead-letter-queue-arn <arn>', 'FailureDeadLetterQueueArn parameter (control plane output TenantDeadLetterQueueArn), {region} allowed')
    .option('--publish', 'upload the template, manifest and assets to the release buckets of every Region of the registry')
    .option('--region <region>', 'the control plane\'s Region (default AWS_REGION)')
    .option('--control-plane-stack <name>', 'the control plane stack (default control-plane)')
    .option('--release-bucket-prefix <prefix>', 'release buckets are <prefix>-<region> (default: the control plane output ReleaseBucketPrefix)')
    .addHelpText('after', '\nExamples:\n  npx fleet release scan-ingest\n  npx fleet release --all --failure-bus-arn arn:aws:events:{region}:999988887777:event-bus/fleet-failures --publish')
    .action(async (services: string[], options: ReleaseOptions) => {
      for (const line of await runRelease(services, options, findFleetRoot(), deps)) write(`${line}\n`);
    });
}

/** Builds (and publishes) the releases; returns one line per release. Exported for tests. */
export async function runRelease(services: readonly string[], options: ReleaseOptions, root: string, deps: RolloutDeps = DEFAULT_ROLLOUT_DEPS,
  synthesize?: (root: string, service: string, out: string) => Promise<string>): Promise<string[]> {
  const all = listServices(root, TENANT_DEPLOYMENT);
  if (options.all && services.length > 0) throw new CliError({ subject: 'fleet release', problem: `give service names or --all, not both; got ${services.join(' ')} and --all`, fix: 'drop one of them' });
  const chosen = options.all ? all : [...services];
  if (chosen.length === 0) throw new CliError({ subject: 'fleet release', problem: 'no service given', fix: `name one or more of ${all.map((s) => `"${s}"`).join(', ')}, or pass --all` });
  const unknown = chosen.filter((s) => !all.includes(s));
  if (unknown.length > 0) throw new CliError({
    subject: 'fleet release',
    problem: `${unknown.map((s) => `"${s}"`).join(', ')} ${unknown.length === 1 ? 'is not a tenant service' : 'are not tenant services'} of the fleet`,
    fix: `use ${all.map((s) => `"${s}"`).join(', ')}`,
  });
  if (options.releaseBucketPrefix !== undefined) checkReleaseBucketPrefix('--release-bucket-prefix', options.releaseBucketPrefix);
  // Nothing is built from an invalid registry (and --publish needs its Regions).
  const registry = loadRegistry(root);
  const parameters: StackParameter[] = [
    ...(options.failureBusArn !== undefined ? [{ ParameterKey: 'FailureBusArn', ParameterValue: options.failureBusArn }] : []),
    ...(options.tenantDeadLetterQueueArn !== undefined ? [{ ParameterKey: 'FailureDeadLetterQueueArn', ParameterValue: options.tenantDeadLetterQueueArn }] : []),
  ];
  const built: BuiltRelease[] = [];
  for (const service of chosen) built.push(await buildRelease(root, service, { parameters, synthesize, now: deps.now() }));
  const lines = built.map((b) => `${b.manifest.releaseId}  ${b.created ? 'built' : 'unchanged (already built)'}  ${b.dir}`);
  if (!options.publish) return lines;
  const region = controlPlaneRegion(options.region, deps.env);
  const prefix = options.releaseBucketPrefix ?? (await findControlPlane(deps.cfn(region), options.controlPlaneStack)).releaseBucketPrefix;
  checkReleaseBucketPrefix(options.releaseBucketPrefix !== undefined ? '--release-bucket-prefix' : 'Control plane output ReleaseBucketPrefix', prefix);
  const regions = registryRegions(registry);
  const clients = new Map<string, S3Client>();
  const s3For = (r: string) => clients.get(r) ?? clients.set(r, deps.s3(r)).get(r)!;
  for (const b of built) {
    const result = await publishRelease(b, regions, prefix, s3For);
    lines.push(`${b.manifest.releaseId}  published to ${regions.length} Region${regions.length === 1 ? '' : 's'}: ${result.uploaded} uploaded, ${result.skipped} already present`);
  }
  return lines;
}

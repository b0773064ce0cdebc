import { CliCredentialsStackSynthesizer, DockerImageAssetLocation, DockerImageAssetSource } from 'aws-cdk-lib';
import { optionError } from './errors';

/**
 * `CliCredentialsStackSynthesizer` that refuses Docker image assets.
 *
 * Why this synthesizer (read in aws-cdk-lib 2.276.0 `core/lib/stack-synthesizers`):
 * - it never adds the `BootstrapVersion` parameter nor the `CheckBootstrapVersion` rule
 *   (`DefaultStackSynthesizer` adds both unless `generateBootstrapVersionRule: false`), and
 *   StackSet target accounts are not CDK-bootstrapped;
 * - it names no bootstrap roles (deploy, file-publishing, lookup) in the cloud assembly: the
 *   template is deployed by the StackSets service, and the assets are published once, from the
 *   central account, with whatever credentials the pipeline has; `DefaultStackSynthesizer` would
 *   make `cdk-assets` try to assume `cdk-hnb659fds-file-publishing-role-*` there;
 * - file assets go to a bucket we name, so every tenant account reads the same central copy
 *   (the bucket policy must allow the organization to read).
 * `BootstraplessSynthesizer` was rejected: it does not support assets at all.
 */
export class FleetStackSynthesizer extends CliCredentialsStackSynthesizer {
  public override addDockerImageAsset(asset: DockerImageAssetSource): DockerImageAssetLocation {
    throw optionError(this.boundStack, 'Docker image asset', 'is not supported in a fleet service stack', asset.sourceHash,
      'Bundle the code as a file asset (HandlerBundle) instead: StackSet target accounts have no ECR repository and this machine has no Docker');
  }
}

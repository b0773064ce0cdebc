import { OnboardingServiceRelease, releaseChangeSetName, ReleaseManifest, RELEASE_KEYS, serviceStackName } from '@fleet/contracts';
import { s3Host } from './aws-regions';
import { dependencyLevels, REGION_PLACEHOLDER } from './plan-rollout';
import { TenantRegistry } from './tenant-registry';

/**
 * The services a new tenant gets, at the given releases (the fleet's current ones), in the
 * registry's dependency levels, for an account in `region` (pure). The rollback alarms are
 * named, not ARNs (the account id is not known before the account exists), and the monitoring
 * time is 0: a new account has no traffic for an alarm to see.
 */
export function onboardingLevels(registry: TenantRegistry, releases: readonly ReleaseManifest[], options: { region: string; releaseBucketPrefix: string }): OnboardingServiceRelease[][] {
  const byService = new Map(releases.map((r) => [r.service, r]));
  const bucket = `${options.releaseBucketPrefix}-${options.region}`;
  return dependencyLevels([...byService.keys()], registry.services ?? {}).map((level) => level.map((service) => {
    const release = byService.get(service)!;
    return {
      service,
      releaseId: release.releaseId,
      stackName: serviceStackName(service),
      changeSetName: releaseChangeSetName(release.releaseId),
      templateUrl: `https://${bucket}.${s3Host(options.region)}/${RELEASE_KEYS.template(service, release.releaseId)}`,
      parameters: release.parameters.map((p) => ({ ParameterKey: p.ParameterKey, ParameterValue: p.ParameterValue.split(REGION_PLACEHOLDER).join(options.region) })),
      rollbackAlarmNames: [...(registry.services?.[service]?.rollbackAlarmNames ?? [])],
      monitoringTimeInMinutes: 0,
    };
  }));
}

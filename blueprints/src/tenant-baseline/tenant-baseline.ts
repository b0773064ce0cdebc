import { TENANT_DEPLOYMENT } from '@fleet/contracts';
import type { Blueprint, ServiceDeclarationOf } from '../blueprint';
import type { FilePolicyOverrides } from '../components/file-policies';
import { ManagedTextFile } from '../components/managed-text-file';
import { OwnedFile } from '../components/owned-file';
import { ownershipOf } from '../components/ownership';
import { SingleStackProject } from '../components/single-stack-project';
import { assertValidBlueprintOptions, fleetValidated } from '../private/checks';
import { BLUEPRINTS_VERSION } from '../versions';
import { TenantBaselineOptions, validateTenantBaselineOptions } from './options';
import {
  renderTenantBaselineOperationsSample, renderTenantBaselineReadme, renderTenantBaselineStack, renderTenantBaselineStackTest, tenantBaselineStackClass,
} from './sources';

export interface TenantBaselineProjectOptions extends TenantBaselineOptions, FilePolicyOverrides {
  /**
   * Where to generate the project, relative to the working directory.
   * @default '.' (its own repository)
   */
  readonly outdir?: string;
}

/**
 * The `TenantBaseline` blueprint: what every tenant account holds once, whatever services it
 * runs (the recovery role `fleet dlq redrive` assumes, the two account alarms). A
 * `SingleStackProject`, deployed into every tenant account like a service, so `fleet cost`
 * prices it per tenant.
 */
export class TenantBaseline extends SingleStackProject {
  /** The blueprint id used in the fleet manifest. */
  public static readonly BLUEPRINT_ID = 'tenant-baseline';

  public readonly options: TenantBaselineOptions;

  constructor(projectOptions: TenantBaselineProjectOptions) {
    const { outdir, files, ...options } = projectOptions;
    assertValidBlueprintOptions('tenant baseline', projectOptions, options, validateTenantBaselineOptions);
    super({
      name: options.name,
      description: options.description,
      blueprintId: TenantBaseline.BLUEPRINT_ID,
      className: 'TenantBaseline',
      blueprintOptions: options,
      deployedTo: TENANT_DEPLOYMENT,
      stackClass: tenantBaselineStackClass(options.name),
      outdir: outdir ?? '.',
      files,
    });
    this.options = options;
    new ManagedTextFile(this, 'src/stack.ts', { contents: renderTenantBaselineStack(options, BLUEPRINTS_VERSION) });
    new ManagedTextFile(this, 'test/stack.test.ts', { contents: renderTenantBaselineStackTest(options) });
    new OwnedFile(this, 'src/operations.ts', renderTenantBaselineOperationsSample(options));
    new ManagedTextFile(this, 'README.md', {
      contents: () => renderTenantBaselineReadme({ options, blueprintVersion: BLUEPRINTS_VERSION, ownership: ownershipOf(this) }),
    });
  }
}

/** The `TenantBaseline` blueprint as the fleet sees it. */
export const TENANT_BASELINE: Blueprint<TenantBaselineOptions> = {
  id: TenantBaseline.BLUEPRINT_ID,
  description: 'Once per tenant account: the recovery role fleet dlq redrive assumes, and two account-wide alarms',
  validate: validateTenantBaselineOptions,
  create: (options, outdir) => new TenantBaseline(fleetValidated({ ...options, outdir })),
};

declare module '../blueprint' {
  /** Registers the options of `tenant-baseline` for the manifest's types (`ServiceDeclaration`). */
  interface BlueprintOptionsMap {
    'tenant-baseline': TenantBaselineOptions;
  }
}

/** A manifest entry of the `tenant-baseline` blueprint. */
export type TenantBaselineDeclaration = ServiceDeclarationOf<'tenant-baseline'>;

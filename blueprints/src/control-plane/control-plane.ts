import { CENTRAL_DEPLOYMENT } from '@fleet/contracts';
import type { Blueprint, ServiceDeclarationOf } from '../blueprint';
import type { FilePolicyOverrides } from '../components/file-policies';
import { ManagedTextFile } from '../components/managed-text-file';
import { OwnedFile } from '../components/owned-file';
import { ownershipOf } from '../components/ownership';
import { SingleStackProject } from '../components/single-stack-project';
import { assertValidBlueprintOptions, fleetValidated } from '../private/checks';
import { BLUEPRINTS_VERSION } from '../versions';
import { ControlPlaneOptions, validateControlPlaneOptions } from './options';
import { controlPlaneStackClass, renderControlPlaneReadme, renderControlPlaneStack, renderControlPlaneStackTest, renderOperationsSample } from './sources';

export interface ControlPlaneProjectOptions extends ControlPlaneOptions, FilePolicyOverrides {
  /**
   * Where to generate the project, relative to the working directory.
   * @default '.' (its own repository)
   */
  readonly outdir?: string;
}

/**
 * The `ControlPlane` blueprint: the central account's CDK app, a complete standalone repository.
 *
 * A `SingleStackProject` (the same skeleton as the tenant baseline) plus managed files for what
 * must stay identical (the stack wiring, its tests) and one owned file for the team's additions
 * (`src/operations.ts`): the central failure path, the rollout engine, the tenant onboarding
 * with its registry table (unless `onboarding: false`) and the StackSets (see `renderControlPlaneStack`).
 */
export class ControlPlane extends SingleStackProject {
  /** The blueprint id used in the fleet manifest. */
  public static readonly BLUEPRINT_ID = 'control-plane';

  public readonly options: ControlPlaneOptions;

  constructor(projectOptions: ControlPlaneProjectOptions) {
    const { outdir, files, ...options } = projectOptions;
    assertValidBlueprintOptions('control plane', projectOptions, options, validateControlPlaneOptions);
    super({
      name: options.name,
      description: options.description,
      blueprintId: ControlPlane.BLUEPRINT_ID,
      className: 'ControlPlane',
      blueprintOptions: options,
      deployedTo: CENTRAL_DEPLOYMENT,
      stackClass: controlPlaneStackClass(options.name),
      outdir: outdir ?? '.',
      files,
    });
    this.options = options;
    new ManagedTextFile(this, 'src/stack.ts', { contents: renderControlPlaneStack(options, BLUEPRINTS_VERSION) });
    new ManagedTextFile(this, 'test/stack.test.ts', { contents: renderControlPlaneStackTest(options) });
    new OwnedFile(this, 'src/operations.ts', renderOperationsSample(options));
    new ManagedTextFile(this, 'README.md', {
      contents: () => renderControlPlaneReadme({
        options,
        blueprintVersion: BLUEPRINTS_VERSION,
        ownership: ownershipOf(this),
      }),
    });
  }
}

/** The `ControlPlane` blueprint as the fleet sees it: register with `new Fleet({ blueprints: [CONTROL_PLANE] })`. */
export const CONTROL_PLANE: Blueprint<ControlPlaneOptions> = {
  id: ControlPlane.BLUEPRINT_ID,
  description: 'The central account: organization-scoped failure bus and encrypted central DLQ, rollout engine and tenant onboarding',
  validate: validateControlPlaneOptions,
  create: (options, outdir) => new ControlPlane(fleetValidated({ ...options, outdir })),
};

declare module '../blueprint' {
  /** Registers the options of `control-plane` for the manifest's types (`ServiceDeclaration`). */
  interface BlueprintOptionsMap {
    'control-plane': ControlPlaneOptions;
  }
}

/** A manifest entry of the `control-plane` blueprint. */
export type ControlPlaneDeclaration = ServiceDeclarationOf<'control-plane'>;

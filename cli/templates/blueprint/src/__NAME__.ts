import { readFileSync } from 'fs';
import * as path from 'path';
import {
  assertValidBlueprintOptions, Blueprint, fleetValidated, ManagedTextFile, OwnedFile, ownershipOf, ServiceDeclarationOf, SingleStackProject, TENANT_DEPLOYMENT,
} from '@fleet/blueprints';
import { __CLASS__Options, validate__CLASS__Options } from './options';
import { renderHandlerSample, renderHandlerTestSample, renderReadme, renderStack, renderStackTest, stackClassOf } from './sources';

/** This package: the services it generates depend on it, their own `.projenrc.ts` imports `__CLASS__` from it. */
const PACKAGE: { name: string; version: string } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));

export interface __CLASS__ProjectOptions extends __CLASS__Options {
  /**
   * Where to generate the project, relative to the working directory.
   * @default '.' (its own repository)
   */
  readonly outdir?: string;
}

/**
 * The `__NAME__` blueprint. A `SingleStackProject` (the kit's skeleton: `.projenrc.ts`,
 * `package.json` with exact versions, `tsconfig.json`, `src/main.ts`, CI with the drift check,
 * the compile/synth/test tasks); this class adds the stack, its test, the owned handler and the README.
 */
export class __CLASS__ extends SingleStackProject {
  /** The blueprint id a manifest entry names in `blueprint`. */
  public static readonly BLUEPRINT_ID = '__NAME__';

  constructor(projectOptions: __CLASS__ProjectOptions) {
    const { outdir, ...options } = projectOptions;
    // Checks options written in a service's own .projenrc.ts; the fleet has checked its own already.
    assertValidBlueprintOptions('__NAME__', projectOptions, options, validate__CLASS__Options);
    super({
      name: options.name,
      description: options.description,
      blueprintId: __CLASS__.BLUEPRINT_ID,
      className: '__CLASS__',
      blueprintPackage: PACKAGE,
      blueprintOptions: options,
      deployedTo: TENANT_DEPLOYMENT,
      stackClass: stackClassOf(options.name),
      outdir: outdir ?? '.',
      dependencies: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
      devDependencies: ['aws-sdk-client-mock', 'esbuild'],
    });
    new ManagedTextFile(this, 'src/stack.ts', { contents: renderStack(options, PACKAGE.version) });
    new ManagedTextFile(this, 'test/stack.test.ts', { contents: renderStackTest(options) });
    new OwnedFile(this, 'src/functions/run.ts', renderHandlerSample(options));
    new OwnedFile(this, 'test/functions/run.test.ts', renderHandlerTestSample());
    new ManagedTextFile(this, 'README.md', { contents: () => renderReadme(options, PACKAGE.version, ownershipOf(this)) });
  }
}

/** The blueprint as the fleet sees it: `new Fleet({ blueprints: [__CONST__] })`. */
export const __CONST__: Blueprint<__CLASS__Options> = {
  id: __CLASS__.BLUEPRINT_ID,
  description: 'A job on a jittered schedule in every tenant account',
  validate: validate__CLASS__Options,
  create: (options, outdir) => new __CLASS__(fleetValidated({ ...options, outdir })),
};

declare module '@fleet/blueprints' {
  /** The manifest's types: an entry with `blueprint: '__NAME__'` is checked against these options. */
  interface BlueprintOptionsMap {
    '__NAME__': __CLASS__Options;
  }
}

/** A manifest entry of the `__NAME__` blueprint. */
export type __CLASS__Declaration = ServiceDeclarationOf<'__NAME__'>;

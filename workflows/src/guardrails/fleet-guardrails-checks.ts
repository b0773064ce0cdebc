import { CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { fleetChecksEnabled } from '../service-app';
import { FLEET_RULES } from './rules';

/**
 * The fleet's guardrails as a cdk-nag rule pack: resources that cost money while a tenant is
 * idle, Lambda functions without an explicit asynchronous config or on-failure destination,
 * schedules without jitter, and resources without the tenant and service tags. Every rule is an
 * error; rule ids are `Fleet-<Rule>` (see `FLEET_RULES`).
 *
 * cdk-nag 3 packs are CDK policy-validation plugins: they run after synthesis, and any finding
 * fails `app.synth()` (and `Template.fromStack`) with a `ValidationFailed` report. Acknowledge a
 * finding with a reason, on the construct that creates the resource:
 *
 *   Validations.of(construct).acknowledge({ id: 'Fleet-IdleCost7', reason: '...' });
 *
 * https://github.com/cdklabs/cdk-nag/blob/main/MIGRATION.md
 */
export class FleetGuardrailsChecks extends NagPack {
  public readonly name = 'Fleet';
  public readonly ruleIds = FLEET_RULES.map((rule) => `Fleet-${rule.id}`);

  public constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Fleet';
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of FLEET_RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: NagMessageLevel.ERROR,
        rule: rule.check,
        node,
      });
    }
  }
}

const REGISTERED = new WeakSet<IConstruct>();

/**
 * Registers `FleetGuardrailsChecks` and cdk-nag's `AwsSolutionsChecks` (verbose: the report says
 * why each rule exists) on the App containing `scope`, once per App: a pack checks the whole
 * construct tree whichever Stage it is registered on, so a second registration (a second
 * ServiceStack in the same App) would report every finding twice.
 *
 * Not in an App built with `serviceApp({ validation: false })` (local runs).
 *
 * @returns whether the packs were added by this call
 */
export function addFleetChecks(scope: IConstruct): boolean {
  if (!fleetChecksEnabled(scope)) return false;
  const root = scope.node.root;
  const stage = Stage.isStage(root) ? root : Stage.of(scope);
  if (stage === undefined || REGISTERED.has(root)) return false;
  REGISTERED.add(root);
  Validations.of(stage).addPlugins(
    new FleetGuardrailsChecks(stage, { verbose: true }),
    new QuietDeprecationsOf(new AwsSolutionsChecks(stage, { verbose: true })),
  );
  return true;
}

/**
 * Runs a validation plugin with aws-cdk-lib's deprecation notices off for its own reads, on
 * purpose and only there: cdk-nag's AwsSolutions rule EventBusOpenAccess reads
 * `CfnEventBusPolicy#principal`, which aws-cdk-lib deprecated, so every synthesis of a stack
 * with an event bus policy (the control plane's failure bus) printed a deprecation warning that
 * names nothing the fleet's code does. The fleet's own uses of deprecated APIs still print:
 * `JSII_DEPRECATED` is set to quiet for the plugin's run and restored after it.
 */
export class QuietDeprecationsOf implements IPolicyValidationPlugin {
  constructor(private readonly plugin: IPolicyValidationPlugin) {}

  get name(): string {
    return this.plugin.name;
  }

  get version(): string | undefined {
    return this.plugin.version;
  }

  get ruleIds(): string[] | undefined {
    return this.plugin.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const before = process.env.JSII_DEPRECATED;
    process.env.JSII_DEPRECATED = 'quiet';
    try {
      return this.plugin.validate(context);
    } finally {
      if (before === undefined) delete process.env.JSII_DEPRECATED;
      else process.env.JSII_DEPRECATED = before;
    }
  }
}

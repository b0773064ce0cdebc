import { tsString } from '../private/encode';

/**
 * `src/main.ts` of a single-stack service: it declares how its stack is built (`buildStack(app)`),
 * which every fleet command (`fleet run`, `send`, `sfn`, `graph`, `cost`) and the generated tests
 * call, so nothing ever looks for the stack by its class name. Run as a script (`npx projen
 * synth`, the build's post-compile step) it synthesizes `cdk.out/` with every check on.
 */
export function renderCdkAppSource(stackClass: string, name: string): string {
  return [
    "import { App } from 'aws-cdk-lib';",
    "import { serviceApp } from '@fleet/workflows';",
    `import { ${stackClass} } from './stack';`,
    '',
    '/**',
    ` * Builds the ${name} stack in \`app\`. The fleet CLI passes an App without the checks and`,
    ' * without bundling (local runs run the handler sources); the build and the stack test pass',
    ' * `serviceApp()`, which runs the CloudFormation validator and the cdk-nag packs.',
    ' */',
    `export function buildStack(app: App): ${stackClass} {`,
    `  return new ${stackClass}(app, ${tsString(name)});`,
    '}',
    '',
    'if (require.main === module) {',
    '  const app = serviceApp();',
    '  buildStack(app);',
    '  app.synth();',
    '}',
  ].join('\n');
}

import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';

export interface FleetCiWorkflowOptions {
  /** Node.js version CI runs on. @default '20' */
  readonly nodeVersion?: string;
}

/**
 * The fleet repository's own `.github/workflows/ci.yml`. GitHub reads workflows only from the
 * repository root (https://docs.github.com/en/actions/writing-workflows/about-workflows), so the
 * `ci.yml` each service carries runs only once the service is copied into its own repository;
 * in the fleet repository this workflow is the one that runs.
 *
 * One job per concern, each test run once: `typecheck` (the root, the packages and every
 * service) and `test` (the README's test command: the drift check, then the whole suite).
 */
export class FleetCiWorkflow extends YamlFile {
  constructor(project: Project, options: FleetCiWorkflowOptions = {}) {
    const setup = [
      { uses: 'actions/checkout@v4' },
      { uses: 'actions/setup-node@v4', with: { 'node-version': options.nodeVersion ?? '20', 'cache': 'npm' } },
      { name: 'Install', run: 'npm ci --no-audit --no-fund' },
    ];
    super(project, '.github/workflows/ci.yml', {
      obj: {
        name: 'fleet',
        on: { pull_request: {}, push: { branches: ['main'] }, workflow_dispatch: {} },
        permissions: { contents: 'read' },
        concurrency: { 'group': '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': true },
        jobs: {
          'typecheck': {
            'name': 'Type-check the root, the packages and every service',
            'runs-on': 'ubuntu-latest',
            'timeout-minutes': 30,
            'steps': [...setup, { name: 'Type-check', run: 'npx projen typecheck' }],
          },
          'test': {
            'name': 'Drift check and the whole suite',
            'runs-on': 'ubuntu-latest',
            'timeout-minutes': 60,
            'steps': [...setup, { name: 'Drift check, then every test', run: 'npm test' }],
          },
        },
      },
    });
  }
}

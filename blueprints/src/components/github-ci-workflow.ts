import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';

export interface GitHubCiWorkflowOptions {
  /** Node.js version CI runs on. @default '20' */
  readonly nodeVersion?: string;
}

/**
 * `.github/workflows/ci.yml`: install, the drift check, then build (which type-checks,
 * synthesizes and tests).
 *
 * The drift check comes first, on the files as committed: it regenerates the project and fails
 * with every managed file that regeneration changed or that git does not track as generated, so
 * a deleted or git-ignored managed test is reported before the tests run. After it, `projen
 * build` (whose default task regenerates too) can only test what the blueprint generates. The
 * tests run once, inside `build`.
 */
export class GitHubCiWorkflow extends YamlFile {
  constructor(project: Project, options: GitHubCiWorkflowOptions = {}) {
    super(project, '.github/workflows/ci.yml', {
      obj: {
        name: 'ci',
        on: { pull_request: {}, push: { branches: ['main'] }, workflow_dispatch: {} },
        permissions: { contents: 'read' },
        jobs: {
          build: {
            'runs-on': 'ubuntu-latest',
            'steps': [
              { uses: 'actions/checkout@v4' },
              { uses: 'actions/setup-node@v4', with: { 'node-version': options.nodeVersion ?? '20', 'cache': 'npm' } },
              { name: 'Install', run: 'npm ci' },
              { name: 'Drift check', run: 'npx fleet-drift' },
              { name: 'Build and test', run: 'npx projen build' },
            ],
          },
        },
      },
    });
  }
}

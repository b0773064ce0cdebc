import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';

export interface GitHubCiWorkflowOptions {
  /** Node.js version CI runs on. @default '20' */
  readonly nodeVersion?: string;
}

/**
 * `.github/workflows/ci.yml`: install, build, test, then the drift check, which regenerates
 * the project and fails with the list of files that regeneration changed (a hand edit to a
 * managed file, or a manifest change that was not regenerated).
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
              { name: 'Build', run: 'npx projen build' },
              { name: 'Test', run: 'npx projen test' },
              { name: 'Drift check', run: 'npx fleet-drift' },
            ],
          },
        },
      },
    });
  }
}

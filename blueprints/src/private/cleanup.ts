import { Project } from 'projen/lib/project';

/**
 * Without a `.projen/files.json` (a first run), projen's cleanup falls back to deleting every
 * file under the project that contains its marker text, which can be a team's file (a doc or a
 * test quoting it; it deleted one of ours). Excluding everything from that fallback leaves the
 * files.json list as the only thing that decides what regeneration deletes.
 */
export function keepCleanupToFileManifest(project: Project): void {
  project.addExcludeFromCleanup('**');
}

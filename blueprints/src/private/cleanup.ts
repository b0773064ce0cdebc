import { Project } from 'projen/lib/project';
import { ContainedWrites } from '../components/contained-writes';

/**
 * Without a `.projen/files.json` (a first run), projen's cleanup falls back to deleting every
 * file under the project that contains its marker text, which can be a team's file (a doc or a
 * test quoting it; it deleted one of ours). Excluding everything from that fallback leaves the
 * files.json list as the only thing that decides what regeneration deletes, and
 * `ContainedWrites` deletes from that list only marked regular files inside the project (and
 * writes every file through the fleet's safe write layer).
 */
export function keepCleanupToFileManifest(project: Project): void {
  project.addExcludeFromCleanup('**');
  ContainedWrites.of(project);
}

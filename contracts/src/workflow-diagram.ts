/**
 * Where a service keeps its workflow as a Mermaid flowchart, relative to the service folder:
 * written by `fleet graph <service> --write`, embedded by the managed README.
 */
export const WORKFLOW_DIAGRAM_FILE = 'docs/workflow.mmd';

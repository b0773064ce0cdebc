/**
 * `@fleet/blueprints/testing`: the scenario test kit. A blueprint's tests synthesize it over a
 * folder of scenario files (one JSON per scenario: `{ "name", "options" }`), snapshot what it
 * generates and assert the keys that matter (docs/writing-a-blueprint.md, "Testing a blueprint").
 */
export { describeScenarios } from './describe-scenarios';
export type { DescribeScenariosOptions } from './describe-scenarios';
export { FileExpectation, GeneratedProject, ScenarioAssertionError, TaskExpectation } from './generated-project';
export { loadScenarios, ScenarioError } from './scenarios';
export type { Scenario } from './scenarios';

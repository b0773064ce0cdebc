/** Drawing workflow definitions. */
export { toMermaid, describeRule, MermaidDefinitionError } from './mermaid';
export type { MermaidOptions } from './mermaid';

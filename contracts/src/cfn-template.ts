/** One resource of a synthesized CloudFormation template. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Condition?: string;
  [key: string]: unknown;
}

/** A synthesized CloudFormation template: the parts the fleet's tools read. */
export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Type?: string; Default?: unknown; [key: string]: unknown }>;
  Conditions?: Record<string, unknown>;
  [key: string]: unknown;
}

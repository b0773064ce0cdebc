import type { CfnResource, CfnTemplate } from '@fleet/contracts';

export type { CfnResource, CfnTemplate };

/** A synthesized service: its name and its template. */
export interface ServiceTemplate {
  service: string;
  template: CfnTemplate;
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points to, else undefined. */
export function refTarget(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The resource `value` refers to (by Ref/GetAtt), with its logical id. */
export function referenced(template: CfnTemplate, value: unknown): { id: string; resource: CfnResource } | undefined {
  const id = refTarget(value);
  const resource = id ? template.Resources?.[id] : undefined;
  return id && resource ? { id, resource } : undefined;
}

/**
 * A string property rendered as far as possible: literal strings as is, `Fn::Join` and `Fn::Sub`
 * flattened with `${...}` placeholders for the parts only known at deploy time.
 */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!value || typeof value !== 'object') return '';
  const v = value as Record<string, unknown>;
  const join = v['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) return join[1].map(flatten).join(String(join[0] ?? ''));
  const sub = v['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  const id = refTarget(value);
  return id ? `\${${id}}` : '${?}';
}

/** Every resource of a type, as [logicalId, resource]. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * How cdk-nag names a resource in a granular finding (`AwsSolutions-IAM5[Resource::<...>]`):
 * `{ "Fn::GetAtt": [id, attr] }` becomes `<id.attr>`, `{ Ref: id }` becomes `<id>`, literal text
 * stays. Lets a construct acknowledge the exact wildcard its own grant creates, and nothing else.
 */
export function nagResourceName(scope: IConstruct, value: string): string {
  const resolved = Stack.of(scope).resolve(value);
  const render = (part: any): string => {
    if (typeof part === 'string') return part;
    if (part?.['Fn::GetAtt']) return `<${part['Fn::GetAtt'][0]}.${part['Fn::GetAtt'][1]}>`;
    if (part?.Ref) return `<${part.Ref}>`;
    if (part?.['Fn::Join']) return part['Fn::Join'][1].map(render).join(part['Fn::Join'][0]);
    return JSON.stringify(part);
  };
  return render(resolved);
}

import { CfnResolver } from '../../src/testing/cfn-resolver';

const template = {
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function' },
    Table: { Type: 'AWS::DynamoDB::Table' },
    Bucket: { Type: 'AWS::CloudFront::Distribution' },
  },
  Parameters: { BusArn: { Type: 'String', Default: '' } },
  Conditions: { UseDefaultBus: { 'Fn::Equals': [{ Ref: 'BusArn' }, ''] } },
};
const resolver = new CfnResolver(template, { region: 'eu-west-1', accountId: '111122223333', partition: 'aws', stackName: 'svc', tableNames: { Table: 'local-table' } });

describe('resolving CloudFormation intrinsics with local stand-ins', () => {
  test('functions become ARNs named by their logical id; tables become their local name', () => {
    expect(resolver.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] }, 'x')).toBe('arn:aws:lambda:eu-west-1:111122223333:function:Fn');
    expect(resolver.resolve({ Ref: 'Table' }, 'x')).toBe('local-table');
    expect(resolver.resolve({ 'Fn::GetAtt': 'Table.Arn' }, 'x')).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/local-table');
  });

  test('Join, Sub and If with the template conditions and parameter defaults', () => {
    expect(resolver.resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }]] }, 'x')).toBe('arn:aws:events:eu-west-1');
    expect(resolver.resolve({ 'Fn::Sub': 'fleet-${AWS::AccountId}-${Fn.Arn}-${!Literal}' }, 'x')).toBe('fleet-111122223333-arn:aws:lambda:eu-west-1:111122223333:function:Fn-${Literal}');
    expect(resolver.resolve({ 'Fn::If': ['UseDefaultBus', 'default', { Ref: 'BusArn' }] }, 'x')).toBe('default');
  });

  test('anything without a stand-in fails, naming where it is and the intrinsic', () => {
    expect(() => resolver.resolve({ A: { 'Fn::ImportValue': 'shared-bus' } }, 'Fn.Environment')).toThrow(
      'Fn.Environment.A: cannot resolve Fn::ImportValue "shared-bus" locally: the local runner resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If, Fn::Select, Fn::Split and conditions only. Fix: remove it from what the workflow or its functions use, or run that part with a mock or an override.',
    );
    expect(() => resolver.resolve({ Ref: 'Bucket' }, 'x')).toThrow(/^x: cannot resolve Ref "Bucket" locally: resources of type AWS::CloudFront::Distribution have no local stand-in/);
  });
});

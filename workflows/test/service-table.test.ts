import { App, CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ServiceStack, ServiceTable } from '../src';

const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

describe('ServiceTable', () => {
  // GIVEN
  const stack = new ServiceStack(new App(), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
  const table = new ServiceTable(stack, 'Store');
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const both = new iam.Role(stack, 'Both', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  // WHEN
  table.grantReadData(reader);
  table.grantWriteData(writer);
  table.grantReadWriteData(both);
  const template = Template.fromStack(stack);
  const tableId = stack.getLogicalId(table.table.node.defaultChild as CfnElement);

  test('pk/sk strings, on-demand, point-in-time recovery, retained', () => {
    // THEN
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: Match.absent(),
        ProvisionedThroughput: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(stack.resolve(table.tableName)).toEqual({ Ref: tableId });
  });

  test.each([
    ['Reader', READ],
    ['Writer', WRITE],
    ['Both', [...READ, ...WRITE]],
  ])('%s gets least-privilege actions on this table only', (role, actions) => {
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp(`^${role}`) }],
      PolicyDocument: {
        Statement: [{
          Action: actions,
          Effect: 'Allow',
          Resource: [{ 'Fn::GetAtt': [tableId, 'Arn'] }],
        }],
      },
    });
  });

  test('timeToLiveAttribute enables TTL', () => {
    // GIVEN
    const other = new ServiceStack(new App(), 'Other', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    // WHEN
    new ServiceTable(other, 'Store', { timeToLiveAttribute: 'expiresAt' });
    // THEN
    Template.fromStack(other).hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});

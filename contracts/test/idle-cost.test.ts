import { alwaysIdleCostTypes, IDLE_COST_TYPES, idleCostOf, IdleCostRule } from '../src';

describe('IDLE_COST_TYPES', () => {
  test('GIVEN a guardrail rule WHEN listing the types it always refuses THEN each rule but the provisioned-concurrency one has some', () => {
    const rules: IdleCostRule[] = ['IdleCost1', 'IdleCost3', 'IdleCost4', 'IdleCost5', 'IdleCost6', 'IdleCost7'];
    for (const rule of rules) expect(alwaysIdleCostTypes(rule).length).toBeGreaterThan(0);
    expect(alwaysIdleCostTypes('IdleCost2')).toEqual([]);
  });

  test('GIVEN a configuration-dependent entry THEN it is left out of the always-refused types', () => {
    expect(alwaysIdleCostTypes('IdleCost4')).not.toContain('AWS::DynamoDB::Table');
    expect(alwaysIdleCostTypes('IdleCost3')).not.toContain('AWS::EC2::VPCEndpoint');
    expect(alwaysIdleCostTypes('IdleCost3')).toContain('AWS::EC2::NatGateway');
  });

  test('GIVEN a type WHEN looking it up THEN only listed types are found (no prototype keys)', () => {
    expect(idleCostOf('AWS::KMS::ReplicaKey')).toEqual(IDLE_COST_TYPES['AWS::KMS::ReplicaKey']);
    expect(idleCostOf('AWS::Lambda::Function')).toBeUndefined();
    expect(idleCostOf('constructor')).toBeUndefined();
  });
});

import { RELEASE_ID_PATTERN } from '@fleet/contracts';
import { releaseId } from '../src';

const content = {
  service: 'scan-ingest',
  templateBody: '{"Resources":{}}',
  assetHashes: ['b'.repeat(64), 'a'.repeat(64)],
  parameters: [{ ParameterKey: 'FailureBusArn', ParameterValue: 'x' }, { ParameterKey: 'FailureDeadLetterQueueArn', ParameterValue: 'y' }],
};

describe('release ids', () => {
  test('GIVEN the same content WHEN the id is computed twice, with assets and parameters in another order THEN it is the same id, matching RELEASE_ID_PATTERN', () => {
    const again = { ...content, assetHashes: [...content.assetHashes].reverse(), parameters: [...content.parameters].reverse() };
    expect(releaseId(content)).toBe(releaseId(again));
    expect(releaseId(content)).toMatch(RELEASE_ID_PATTERN);
    expect(releaseId(content).startsWith('scan-ingest-')).toBe(true);
  });

  test('GIVEN one changed byte in the template, an asset or a parameter WHEN the id is computed THEN it is another id', () => {
    const ids = new Set([
      releaseId(content),
      releaseId({ ...content, templateBody: '{"Resources":{} }' }),
      releaseId({ ...content, assetHashes: ['c'.repeat(64)] }),
      releaseId({ ...content, parameters: [{ ParameterKey: 'FailureBusArn', ParameterValue: 'z' }] }),
    ]);
    expect(ids.size).toBe(4);
  });
});

import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { RELEASE_KEYS } from '@fleet/contracts';
import { readFileSync } from 'fs';
import * as path from 'path';
import { CliError } from '../errors';
import { awsCall } from './aws-errors';
import { BuiltRelease } from './build-release';

export interface PublishResult {
  readonly uploaded: number;
  /** Objects already present (content-addressed keys: present means identical). */
  readonly skipped: number;
}

/**
 * Uploads a release to every Region it deploys in: the template and release.json to the Region's
 * release bucket (`<prefix>-<region>`, RELEASE_KEYS), each file asset where the template reads it
 * (the assets manifest's bucket and key, `${AWS::Region}` replaced). Objects already present are
 * skipped: keys are content hashes, so an object present is the object wanted.
 */
/** S3 bucket names: 3-63 lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** The longest commercial Region name today (ap-southeast-5 / ca-west-1 are shorter). */
const LONGEST_REGION = 'ap-southeast-5';

/**
 * Checks that `<prefix>-<region>` is a valid bucket name for every Region, so a prefix cannot
 * address something other than a release bucket (a slash or a wildcard would change the S3 key or ARN).
 */
export function checkReleaseBucketPrefix(subject: string, prefix: string): void {
  if (!BUCKET_NAME.test(`${prefix}-${LONGEST_REGION}`) || prefix.includes('..')) {
    throw new CliError({ subject, problem: 'not a bucket name prefix', value: prefix, fix: `use lowercase letters, digits and hyphens, at most ${63 - LONGEST_REGION.length - 1} characters (buckets are named <prefix>-<region>)` });
  }
}

export async function publishRelease(release: Omit<BuiltRelease, 'created'>, regions: readonly string[], releaseBucketPrefix: string, s3For: (region: string) => S3Client): Promise<PublishResult> {
  let uploaded = 0;
  let skipped = 0;
  const { service, releaseId } = release.manifest;
  for (const region of regions) {
    const s3 = s3For(region);
    const bucket = `${releaseBucketPrefix}-${region}`;
    const objects = [
      ...release.assets.map((a) => ({ bucket: a.bucketName.split('${AWS::Region}').join(region), key: a.objectKey, file: a.file, type: 'application/zip' })),
      { bucket, key: RELEASE_KEYS.template(service, releaseId), file: 'template.json', type: 'application/json' },
      // Last: a release whose manifest is in the bucket is complete there.
      { bucket, key: RELEASE_KEYS.manifest(service, releaseId), file: 'release.json', type: 'application/json' },
    ];
    for (const object of objects) {
      if (await exists(s3, object.bucket, object.key)) {
        skipped++;
        continue;
      }
      await awsCall(`Uploading s3://${object.bucket}/${object.key}`, `s3:PutObject on arn:aws:s3:::${object.bucket}/*`, () => s3.send(new PutObjectCommand({
        Bucket: object.bucket, Key: object.key, Body: readFileSync(path.join(release.dir, object.file)), ContentType: object.type,
      })));
      uploaded++;
    }
  }
  return { uploaded, skipped };
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return false;
    return awsCall(`Checking s3://${bucket}/${key}`, `s3:GetObject and s3:ListBucket on arn:aws:s3:::${bucket}`, () => Promise.reject(error));
  }
}

/**
 * Amazon S3 objects per account (buckets are global names; each belongs to the account that
 * made it): what ItemReader reads and ResultWriter writes, and the `aws-sdk:s3:*` calls.
 * Errors as the integration names them (`S3.NoSuchKeyException`, the Exception suffix added:
 * "Learning to use AWS service SDK integrations in Step Functions").
 */
import { sdkError } from './errors';

export class SimulatedS3 {
  private readonly objects = new Map<string, string>();

  put(bucket: string, key: string, body: string): void {
    this.objects.set(`${bucket}/${key}`, body);
  }

  get(bucket: string, key: string): string | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }

  /** Keys under a prefix, sorted (for tests and ResultWriter checks). */
  keys(bucket: string, prefix = ''): string[] {
    const start = `${bucket}/${prefix}`;
    return [...this.objects.keys()].filter((k) => k.startsWith(start)).map((k) => k.slice(bucket.length + 1)).sort();
  }

  getObject(p: Record<string, any>, requestId: string): unknown {
    const body = this.get(String(p.Bucket), String(p.Key));
    if (body === undefined) throw sdkError('S3', 'NoSuchKey', 'The specified key does not exist.', requestId, 404);
    return { Body: body, ContentLength: Buffer.byteLength(body), ContentType: 'application/json', ETag: `"${etag(body)}"` };
  }

  putObject(p: Record<string, any>): unknown {
    const body = typeof p.Body === 'string' ? p.Body : JSON.stringify(p.Body);
    this.put(String(p.Bucket), String(p.Key), body);
    return { ETag: `"${etag(body)}"` };
  }

  headObject(p: Record<string, any>, requestId: string): unknown {
    const body = this.get(String(p.Bucket), String(p.Key));
    if (body === undefined) throw sdkError('S3', 'NotFound', 'Not Found', requestId, 404);
    return { ContentLength: Buffer.byteLength(body), ETag: `"${etag(body)}"` };
  }
}

function etag(body: string): string {
  return require('crypto').createHash('md5').update(body).digest('hex');
}

/**
 * Errors as Step Functions' AWS SDK integrations report them: `<ServiceName>.<ErrorName>`, both
 * PascalCase, with the `Exception` suffix always present ("Learning to use AWS service SDK
 * integrations in Step Functions": `AcmPca.ResourceNotFoundException`, S3's `BucketAlreadyExists`
 * is `S3.BucketAlreadyExistsException`). Errors a service does not model (CloudFormation's
 * `ValidationError` and `Throttling`) arrive as the service's generic exception,
 * `CloudFormation.CloudFormationException`, with a cause in the AWS SDK for Java 2.x form
 * "<message> (Service: CloudFormation, Status Code: 400, Request ID: <id>)" — the form users
 * report for throttled CloudFormation calls (aws/aws-toolkit-jetbrains#464). Evidence from Step
 * Functions itself: a throttled S3 call (503 SlowDown, not modeled) surfaces as `S3.S3Exception`
 * (cdklabs/construct-hub#1904), and a real TaskFailed event reads error `S3.NoSuchKeyException`,
 * cause "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: ...)"
 * (history quoted in localstack/localstack#12139). For CloudFormation specifically the name is
 * still unverified: the engine's retry rules take it as a parameter.
 */
import { StatesError } from '../../local';

export function sdkError(service: string, errorName: string, message: string, requestId: string, statusCode = 400): StatesError {
  const name = errorName.endsWith('Exception') ? errorName : `${errorName}Exception`;
  return new StatesError(`${service}.${name}`, `${message} (Service: ${service}, Status Code: ${statusCode}, Request ID: ${requestId})`);
}

/** An error the service does not model: the generic `<Service>.<Service>Exception`, the code in the cause. */
export function unmodeledError(service: string, message: string, requestId: string, statusCode = 400): StatesError {
  return new StatesError(`${service}.${service}Exception`, `${message} (Service: ${service}, Status Code: ${statusCode}, Request ID: ${requestId})`);
}

/** CloudFormation's throttling answer (Rate exceeded), as the integration reports it. */
export const RATE_EXCEEDED = 'Rate exceeded';

/**
 * Errors as Step Functions' AWS SDK integrations report them: `<ServiceName>.<ErrorName>`, both
 * PascalCase, with the `Exception` suffix always present ("Learning to use AWS service SDK
 * integrations in Step Functions": `AcmPca.ResourceNotFoundException`, S3's `BucketAlreadyExists`
 * is `S3.BucketAlreadyExistsException`). Errors a service does not model (CloudFormation's
 * `ValidationError` and `Throttling`) arrive as the service's generic exception,
 * `CloudFormation.CloudFormationException`, with a cause in the AWS SDK for Java 2.x form
 * "<message> (Service: CloudFormation, Status Code: 400, Request ID: <id>)" — the form users
 * report for throttled CloudFormation calls (aws/aws-toolkit-jetbrains#464). (unverified for
 * Step Functions itself: the name of an unmodeled error is a parameter of the engine's retry
 * rules, never assumed elsewhere.)
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

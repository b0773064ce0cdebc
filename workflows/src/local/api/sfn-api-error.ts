/**
 * An error of the Step Functions API, answered as the awsJson1_0 protocol does: HTTP 400 and
 * `{ "__type": "com.amazonaws.states#<Code>", "message": ... }`, which `@aws-sdk/client-sfn`
 * turns into the exception class of that name (`StateMachineDoesNotExist`, ...).
 * Codes: Step Functions API Reference, "Errors" of each action.
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'SfnApiError';
  }

  toBody(): { __type: string; message: string } {
    return { __type: `com.amazonaws.states#${this.code}`, message: this.message };
  }
}

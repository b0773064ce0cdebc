/**
 * An error the user can fix: printed as its message alone (no stack), exit code 1 unless said.
 * Messages name the thing, show the bad value and say the fix, like the manifest errors.
 */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode = 1) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Errors a user can act on. They are printed as one paragraph on stderr, without a stack trace; anything else
 * that escapes is a bug and is reported as such.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: malformed YAML, a resource whose image cannot be computed, a file that cannot be read. Exit 1. */
export class InputError extends UserError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** Bad usage or configuration: unknown flags, invalid settings, no registry. Exit 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
  }
}

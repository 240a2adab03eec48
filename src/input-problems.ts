/**
 * Problems with the input found document by document: each is kept and the walk goes on, so one run names every
 * `versoin`-style typo, not just the first; then one error lists them all (at most LIMIT, then a count).
 */
import { InputError } from './errors.js';

const LIMIT = 50;

export class InputProblems {
  private readonly found: InputError[] = [];
  private more = 0;

  /** Runs `step`; an InputError it throws is kept (anything else goes on up). */
  run(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      if (this.found.length < LIMIT) this.found.push(error);
      else this.more += 1;
    }
  }

  /** Throws the problems kept, as one error (the error itself when there is one). */
  throwIfAny(): void {
    if (this.found.length === 0) return;
    if (this.found.length === 1 && this.more === 0) throw this.found[0]!;
    const total = this.found.length + this.more;
    throw new InputError(
      `${total} problems in the input:\n` +
        this.found.map((e) => `  - ${e.message}`).join('\n') +
        (this.more > 0 ? `\n  - … and ${this.more} more` : ''),
    );
  }
}

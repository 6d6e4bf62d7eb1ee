/**
 * A secret string that cannot leak by accident: `JSON.stringify`, `util.inspect`, template strings
 * and jest's pretty-printer all see `[redacted]`. The value lives in a private field, so it is not
 * an own enumerable property either; only `reveal()` returns it, at the one place that needs it
 * (signing AWS requests).
 */

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The clear value. Call it only where the value is handed to the code that needs it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

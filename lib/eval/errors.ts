/**
 * Errors callers of the evaluation catch.
 *
 * @module
 */

/**
 * Raised when a sweep is asked to resume from a state file written for another configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = new StateMismatchError("out.state.json", "abc", "def");
 * assert.equal(error.name, "StateMismatchError");
 * assert.match(error.message, /out.state.json/);
 * ```
 */
export class StateMismatchError extends Error {
  /** The state file. */
  readonly path: string;
  /** The configuration hash of this run, and the one in the file. */
  readonly expected: string;
  readonly found: string;
  constructor(path: string, expected: string, found: string) {
    super(
      `Cannot resume sweep: the state file belongs to another configuration (config hash ${
        found.slice(0, 12)
      }, ` +
        `this run ${expected.slice(0, 12)}); delete it, pass another state path, or restart: ${path}`,
    );
    this.name = "StateMismatchError";
    this.path = path;
    this.expected = expected;
    this.found = found;
  }
}

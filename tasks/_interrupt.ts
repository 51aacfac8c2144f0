/**
 * What a study task says when it is interrupted (Ctrl-C or SIGTERM): what the cache kept and the command
 * that resumes. Every cell, epoch state and stage result is written atomically, so stopping at any point
 * loses only the work in progress; the same command continues from there.
 *
 * @module
 */

/** A command-line argument as a POSIX shell reads it back. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * The line printed after an interruption: what is kept, and the command to rerun, which resumes.
 *
 * @param command The task, e.g. `deno task train`.
 * @param args Its arguments (`Deno.args`).
 * @param cacheDir The study's cache.
 * @returns One line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const line = resumeHint("deno task train", ["--profile", "smoke", "--dataset", "my data"], "/c");
 * assert.match(line, /run the same command again to resume: deno task train --profile smoke --dataset 'my data'$/);
 * ```
 */
export function resumeHint(command: string, args: readonly string[], cacheDir: string): string {
  return `Interrupted. Finished cells, stage results and the last finished epoch of a model in training are ` +
    `kept in ${cacheDir}; run the same command again to resume: ${[command, ...args.map(quote)].join(" ")}`;
}

/**
 * Calls `stop` on the first SIGINT or SIGTERM, then prints `hint()` on stderr and exits with 130 (SIGINT)
 * or 143 (SIGTERM), as a shell reports a process killed by that signal.
 *
 * @param hint The line to print.
 * @param stop Work to end first (worker processes).
 * @returns A function that removes the handlers.
 */
export function onInterrupt(hint: () => string, stop: () => void = () => {}): () => void {
  const signals = Deno.build.os === "windows" ? (["SIGINT"] as const) : (["SIGINT", "SIGTERM"] as const);
  const handlers = signals.map((signal) => {
    const handler = () => {
      stop();
      Deno.stderr.writeSync(new TextEncoder().encode(`\n${hint()}\n`));
      Deno.exit(signal === "SIGINT" ? 130 : 143);
    };
    Deno.addSignalListener(signal, handler);
    return () => Deno.removeSignalListener(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}

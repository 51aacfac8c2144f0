/**
 * The `--jobs` worker processes of a study task: copies of the same command on the same cache, which
 * share its cells through claims.
 *
 * @module
 */

/** Set in the environment of `--jobs` worker processes. */
export const WORKER_ENV = "AVROBUST_WORKER";

/**
 * Starts `count` copies of this task (same flags) as workers on the same cache; their output goes to
 * `<cache>/logs/worker-<k>.log`. `finished()` waits for them and names each worker that failed (its
 * claimed cell went stale and was computed by another process, so the results stand).
 */
/** Worker processes started by {@linkcode startWorkers}. */
export interface Workers {
  /** Ends every worker still running (an interrupted run). */
  stop(): void;
  /** Waits for every worker; one line per worker that failed. */
  finished(): Promise<string[]>;
}

export async function startWorkers(
  count: number,
  cacheDir: string,
  print: (line: string) => void,
): Promise<Workers> {
  await Deno.mkdir(`${cacheDir}/logs`, { recursive: true });
  const main = new URL(Deno.mainModule).pathname;
  const children = await Promise.all(Array.from({ length: count }, async (_, k) => {
    const log = `${cacheDir}/logs/worker-${k + 1}.log`;
    const file = await Deno.open(log, { write: true, create: true, truncate: true });
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, ...Deno.args],
      env: { [WORKER_ENV]: String(k + 1), NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const copy = Promise.all([
      child.stdout.pipeTo(file.writable, { preventClose: true }),
      child.stderr.pipeTo(new WritableStream({ write: (chunk) => file.write(chunk).then(() => {}) })),
    ]).finally(() => file.close());
    return { child, log, copy };
  }));
  print(`${count} worker process${count === 1 ? "" : "es"} started (logs in ${cacheDir}/logs)`);
  return {
    stop(): void {
      for (const { child } of children) {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already exited.
        }
      }
    },
    async finished(): Promise<string[]> {
      const problems: string[] = [];
      for (const { child, log, copy } of children) {
        const status = await child.status;
        await copy.catch(() => {});
        if (!status.success) {
          problems.push(
            `Warning: a worker failed (exit ${status.code}; see ${log}); its cells were computed here`,
          );
        }
      }
      return problems;
    },
  };
}

/**
 * `deno task attack --jobs N`: splits a sweep by model over N child processes.
 *
 * @module
 */
import type { EvalRecord } from "../lib/eval/mod.ts";

/** Relative cost of a model's cells, from measured sweeps (the audio encoder dominates). */
function modelCost(name: string): number {
  return name === "visual" ? 1 : name === "audio" ? 2.5 : 3;
}

/**
 * Runs `jobs` child processes of this task, each on a share of the models (single-threaded wasm uses
 * one core per process), and returns their records in model order. Cross-cell checks group by model,
 * so splitting by model keeps them valid.
 */
export async function runJobs(
  values: Record<string, string | boolean | undefined>,
  names: string[],
  jobs: number,
  out: string,
): Promise<EvalRecord[]> {
  const shares: string[][] = Array.from({ length: jobs }, () => []);
  const load = Array.from({ length: jobs }, () => 0);
  for (const name of [...names].sort((a, b) => modelCost(b) - modelCost(a))) {
    const j = load.indexOf(Math.min(...load));
    shares[j]?.push(name);
    load[j] = (load[j] ?? 0) + modelCost(name);
  }
  const base = Object.entries(values).flatMap(([key, value]) => {
    if (["models", "out", "jobs", "train-missing"].includes(key) || value === undefined || value === false) {
      return [];
    }
    return value === true ? [`--${key}`] : [`--${key}`, value];
  });
  const parts = shares.map((_, j) => `${out}.part${j}.jsonl`);
  const statuses = await Promise.all(shares.map((share, j) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./attack.ts", import.meta.url).pathname,
        ...base,
        "--models",
        share.join(","),
        "--out",
        parts[j] ?? "",
      ],
      stdout: "null",
      stderr: "inherit",
    }).output()
  ));
  const failed = statuses.findIndex((s) => !s.success);
  if (failed >= 0) {
    throw new Error(
      `job ${failed} (models ${shares[failed]?.join(",")}) failed with exit code ${statuses[failed]?.code}`,
    );
  }
  const records: EvalRecord[] = [];
  for (const part of parts) {
    const text = await Deno.readTextFile(part);
    records.push(
      ...text.split("\n").filter((line) => line.trim() !== "").map((line): EvalRecord => JSON.parse(line)),
    );
    await Deno.remove(part);
  }
  return names.flatMap((name) => records.filter((r) => r.model === name));
}

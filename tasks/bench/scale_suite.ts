/**
 * The `scale` bench suite: the cold default report with one and with two worker processes.
 *
 * @module
 */
import type { BenchCase } from "./suites.ts";

/** Runs `deno task report` with `args` in a fresh cache; returns its wall time in seconds. */
async function coldReport(args: string[], cacheDir: string): Promise<number> {
  await Deno.remove(cacheDir, { recursive: true }).catch(() => {});
  const started = performance.now();
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../report.ts", import.meta.url).pathname, ...args, "--cache-dir", cacheDir],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    const tail = new TextDecoder().decode(stderr).trim().split("\n").slice(-3).join(" / ");
    throw new Error(`Cannot bench the report (${args.join(" ")}): it exited ${code}: ${tail}`);
  }
  return (performance.now() - started) / 1000;
}

/**
 * The cold `default` report with `--jobs 1` and with `--jobs 2`, one after the other on this machine, each
 * in a fresh cache (data generation included): both times and their ratio (target ≤ 0.6).
 */
export async function* scaleSuite(): AsyncGenerator<BenchCase> {
  const out = ".cache/bench/scale-reports";
  const one = await coldReport(["--profile", "default", "--jobs", "1", "--out", out], ".cache/bench/scale-1");
  const two = await coldReport(["--profile", "default", "--jobs", "2", "--out", out], ".cache/bench/scale-2");
  yield {
    model: "default",
    step: "report-cold-jobs-2-vs-1",
    ms: two * 1000,
    secondsJobs1: one,
    secondsJobs2: two,
    ratio: two / one,
    target: 0.6,
    cores: navigator.hardwareConcurrency,
  };
}

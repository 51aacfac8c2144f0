/**
 * The cold-report bench suites: `report` (the cold default report as the quick start runs it) and `scale`
 * (the cold default report with one and with two worker processes).
 *
 * @module
 */
import type { BenchCase } from "./suites.ts";

/** The wall time of one cold report and each stage's seconds (from its `provenance.json`). */
interface ColdReport {
  seconds: number;
  stageSeconds: Record<string, number>;
}

/** Runs `deno task report --profile default` with `args` in a fresh cache and output folder. */
async function coldReport(args: string[], dir: string): Promise<ColdReport> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const started = performance.now();
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../report.ts", import.meta.url).pathname,
      "--profile",
      "default",
      ...args,
      "--cache-dir",
      `${dir}/cache`,
      "--out",
      `${dir}/out`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    const tail = new TextDecoder().decode(stderr).trim().split("\n").slice(-3).join(" / ");
    throw new Error(`Cannot bench the report (${args.join(" ")}): it exited ${code}: ${tail}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const provenance = JSON.parse(await Deno.readTextFile(`${dir}/out/default/provenance.json`));
  const stageSeconds = Object.fromEntries(
    (provenance.stages as { name: string; seconds: number }[]).map((s) => [s.name, s.seconds]),
  );
  return { seconds, stageSeconds };
}

/**
 * The quick start's full run: `deno task report` on the default profile, cold (fresh cache, data generation
 * included), with its default `--jobs` (this machine's cores): the whole time and each stage's.
 */
export async function* reportSuite(): AsyncGenerator<BenchCase> {
  const run = await coldReport([], ".cache/bench/report");
  yield {
    model: "default",
    step: "report-cold",
    ms: run.seconds * 1000,
    seconds: run.seconds,
    stageSeconds: run.stageSeconds,
    jobs: navigator.hardwareConcurrency,
    cores: navigator.hardwareConcurrency,
  };
}

/**
 * The cold `default` report with `--jobs 2` and then with `--jobs 1`, one after the other on this machine, each
 * in a fresh cache (data generation included): a case for the two-job run as soon as it ends, then both times,
 * each stage's, and their ratio (target ≤ 0.6).
 */
export async function* scaleSuite(): AsyncGenerator<BenchCase> {
  const two = await coldReport(["--jobs", "2"], ".cache/bench/scale-2");
  yield {
    model: "default",
    step: "report-cold-jobs-2",
    ms: two.seconds * 1000,
    seconds: two.seconds,
    stageSeconds: two.stageSeconds,
    jobs: 2,
    cores: navigator.hardwareConcurrency,
  };
  const one = await coldReport(["--jobs", "1"], ".cache/bench/scale-1");
  yield {
    model: "default",
    step: "report-cold-jobs-2-vs-1",
    ms: two.seconds * 1000,
    secondsJobs1: one.seconds,
    secondsJobs2: two.seconds,
    stageSecondsJobs1: one.stageSeconds,
    stageSecondsJobs2: two.stageSeconds,
    ratio: two.seconds / one.seconds,
    target: 0.6,
    cores: navigator.hardwareConcurrency,
  };
}

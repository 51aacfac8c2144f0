/**
 * The `paper` bench suite: issue 16's new-user run, end to end. Writes the 48-clip CSV-layout dataset
 * (tests/data/_paper_fixture.ts, ffmpeg), then runs `deno task report --profile paper` on it with the
 * reduced recipe's overrides in a fresh cache, one process, and records the wall time, the stages and the
 * peak resident memory the run summary prints. A memory failure fails the suite.
 *
 * @module
 */
import type { BenchCase } from "./suites.ts";

/** The reduced recipe's flags (README, "The paper's protocol on your own data"). */
export const PAPER_RECIPE_FLAGS: readonly string[] = [
  "--models",
  "av-concat",
  "--epochs",
  "1",
  "--samples",
  "2",
  "--jobs",
  "1",
];

/** Runs the recipe on the 48-clip dataset and yields one case. */
export async function* paperSuite(): AsyncGenerator<BenchCase> {
  const root = new URL("../../", import.meta.url).pathname;
  const fixture = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}tests/data/_paper_fixture.ts`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!fixture.success) {
    throw new Error(
      `Cannot write the 48-clip dataset: ${new TextDecoder().decode(fixture.stderr).slice(-400)}`,
    );
  }
  const data = new TextDecoder().decode(fixture.stdout).trim().split("\n").at(-1) ?? "";
  const work = await Deno.makeTempDir({ prefix: "avrobust-paper-bench-" });
  try {
    const started = performance.now();
    const run = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${root}tasks/report.ts`,
        "--profile",
        "paper",
        "--data-root",
        data,
        "--layout",
        "csv",
        ...PAPER_RECIPE_FLAGS,
        "--cache-dir",
        `${work}/cache`,
        "--out",
        `${work}/reports`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const seconds = (performance.now() - started) / 1000;
    const log = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    await Deno.writeTextFile(`${root}reports/paper-e2e.log`, log);
    if (!run.success) {
      throw new Error(`The paper recipe failed (log in reports/paper-e2e.log): ${log.slice(-600)}`);
    }
    const peak = /peak resident memory: (\d+) MiB/.exec(log);
    const micro = /micro-batches of (\d+)/.exec(log);
    yield {
      model: "paper/av-concat (48 clips, CSV layout)",
      step: "report-end-to-end",
      ms: seconds * 1000,
      seconds,
      peakResidentMiB: peak ? Number(peak[1]) : NaN,
      microBatchSize: micro ? Number(micro[1]) : null,
      flags: PAPER_RECIPE_FLAGS.join(" "),
    };
  } finally {
    await Deno.remove(work, { recursive: true });
    await Deno.remove(data, { recursive: true });
  }
}

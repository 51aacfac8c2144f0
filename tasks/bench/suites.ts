/**
 * The bench suites behind `deno task bench`. Each suite yields cases; later steps add suites here.
 */
import { paperSuite } from "./paper_suite.ts";
import { memorySuite } from "./memory_suite.ts";
import { tf } from "../../lib/engine/mod.ts";
import { median } from "./timing.ts";
import { engineSuite } from "./engine_suite.ts";
import { kernelsSuite } from "./kernels_suite.ts";
import { loadBuiltin } from "../../lib/data/builtin/builtin.ts";
import { loadBatch } from "../../lib/data/batch.ts";
import { createModel } from "../../lib/models/mod.ts";
import {
  attackStage,
  dataStage,
  defenseStage,
  localizeStage,
  REPORT_STAGES,
  type ReportConfig,
  type ReportProfile,
  resolveReportConfig,
  resultOf,
  runPipeline,
  trainStage,
} from "../../lib/report/mod.ts";
import { measureThroughput } from "./throughput.ts";
import { reportSuite, scaleSuite } from "./scale_suite.ts";
import { weightsSuite } from "./weights_suite.ts";

/** One measured case of `reports/bench.json`. */
export interface BenchCase {
  /** What was measured, e.g. the reference CNN's name. */
  model: string;
  /** Which step, e.g. `train` or `pgd`. */
  step: string;
  /** Median wall time of one step in ms, over `steps` runs after warm-up. */
  ms: number;
  /** Achieved GFLOP/s (analytic FLOP count / median time), where a FLOP count is defined. */
  gflops?: number;
  /** Further numbers (samples/s, seconds per epoch, ...). */
  [extra: string]: unknown;
}

/** Options every suite receives. */
export interface SuiteOptions {
  /** Timed repetitions after warm-up. */
  steps: number;
}

/** A suite: an async generator of cases. */
export type BenchSuite = (options: SuiteOptions) => AsyncGenerator<BenchCase>;

/** The `full` profile's models on av-digits, as the README's tables use them. */
function fullDigits(): ReportConfig {
  return resolveReportConfig({ profile: "full", datasets: ["av-digits"] });
}

const BENCH_CACHE = ".cache/bench/report";

/**
 * Trains every av-digits model of the `full` profile from scratch (default size and recipe) through the
 * report's `train` stage, in a bench cache of its own, and reports each model's training time, per epoch,
 * and the test accuracy it reached.
 */
async function* trainSuite(): AsyncGenerator<BenchCase> {
  await Deno.remove(BENCH_CACHE, { recursive: true }).catch(() => {});
  const pipeline = await runPipeline(REPORT_STAGES, fullDigits(), { cacheDir: BENCH_CACHE, until: "train" });
  for (const trained of resultOf(pipeline, trainStage).models) {
    const epochs = trained.history.length;
    yield {
      model: `${trained.dataset}/${trained.model}`,
      step: "train-to-accuracy",
      ms: (trained.seconds * 1000) / epochs,
      seconds: trained.seconds,
      epochs,
      secondsPerEpoch: trained.seconds / epochs,
      testAccuracy: trained.testAccuracy,
    };
  }
}

/** PGD-10 throughput (samples/s, early stop off) of the default av-digits models at batch 64. */
async function* attackSuite(): AsyncGenerator<BenchCase> {
  const dataset = await loadBuiltin("av-digits", { size: "default", seed: 0 });
  const indices = Array.from({ length: 64 }, (_, i) => i);
  const batch = await loadBatch(dataset.splits.test, indices, dataset);
  for (const spec of fullDigits().models) {
    const model = createModel({
      kind: spec.kind,
      fusion: spec.fusion,
      numClasses: dataset.classes.length,
      audioLength: dataset.audioLength,
      sampleRate: dataset.sampleRate,
      imageShape: dataset.imageShape,
    });
    const speed = await measureThroughput(model, batch, { repeats: 3 });
    model.dispose();
    yield {
      model: `av-digits/${spec.id}`,
      step: "pgd-10",
      ms: median(speed.seconds) * 1000,
      samplesPerSecond: speed.samplesPerSecond,
      batch: speed.batchSize,
    };
  }
  tf.dispose([batch.audio, batch.visual, batch.labels]);
}

/**
 * The paper-settings sweep of the `full` profile on av-digits (every model, FGSM/PGD/MIM, the paper's
 * budgets, 1000 test samples) through the report's `attack` stage, one process. It reuses the `train`
 * suite's checkpoints and drops every cached attack cell first.
 */
async function* sweepSuite(): AsyncGenerator<BenchCase> {
  for (const cached of ["eval", "stage/attack", "cell/attack"]) {
    await Deno.remove(`${BENCH_CACHE}/${cached}`, { recursive: true }).catch(() => {});
  }
  const config = resolveReportConfig({
    profile: "full",
    datasets: ["av-digits"],
    attacks: ["fgsm", "pgd", "mim"],
  });
  config.attack.grid = null;
  const start = performance.now();
  const pipeline = await runPipeline(REPORT_STAGES, config, { cacheDir: BENCH_CACHE, until: "attack" });
  const seconds = (performance.now() - start) / 1000;
  const records = resultOf(pipeline, attackStage).table.length;
  yield { model: "av-digits/all", step: "paper-sweep-n1000", ms: seconds * 1000, seconds, records, jobs: 1 };
}

const LOCALIZE_CACHE = ".cache/bench/localize";
/** What the issue allows the localize stage to add to the cold default report on the 2-core machine. */
const LOCALIZE_TARGET_SECONDS = 300;

/**
 * The `localize` stage of the `default` profile, cold: every cached entry but the generated data is
 * dropped first, so the localizer is trained and every map measured again. Reports the stage's own time
 * (the data stage is shared with the rest of the report) against the 5-minute target.
 */
async function* localizeSuite(): AsyncGenerator<BenchCase> {
  await Deno.mkdir(LOCALIZE_CACHE, { recursive: true });
  for await (const entry of Deno.readDir(LOCALIZE_CACHE)) {
    if (entry.name !== "data") await Deno.remove(`${LOCALIZE_CACHE}/${entry.name}`, { recursive: true });
  }
  const config = resolveReportConfig({ profile: "default" });
  const pipeline = await runPipeline([dataStage, localizeStage], config, { cacheDir: LOCALIZE_CACHE });
  const stage = pipeline.summary.find((s) => s.name === "localize");
  const seconds = stage?.seconds ?? NaN;
  yield {
    model: `localizer/${config.localize?.datasets?.join("+") ?? "all"}`,
    step: "localize-stage-cold",
    ms: seconds * 1000,
    seconds,
    targetSeconds: LOCALIZE_TARGET_SECONDS,
    withinTarget: seconds <= LOCALIZE_TARGET_SECONDS,
    records: resultOf(pipeline, localizeStage).records.length,
  };
}

/**
 * The cold cost of the `defense` stage of a profile (both built-in datasets): trains the base model
 * (av-concat) once in a cache of its own (not timed), drops every cached defense cell, and times the stage
 * (fine-tuning every variant and the whole adaptive evaluation), per dataset share of its cells.
 *
 * @param profile The profile (`default` for the README's budget; `smoke` for a quick check).
 * @param cacheDir The bench cache.
 */
export async function* defenseColdTime(profile: ReportProfile, cacheDir: string): AsyncGenerator<BenchCase> {
  const config = resolveReportConfig({ profile, models: ["av-concat"] });
  const stages = [dataStage, trainStage, defenseStage];
  await runPipeline(stages, config, { cacheDir, until: "train" });
  for (const cached of ["stage/defense", "cell/defense", "artifacts/defense", "claims"]) {
    await Deno.remove(`${cacheDir}/${cached}`, { recursive: true }).catch(() => {});
  }
  // As the report runs it: `--jobs` defaults to the cores, so the stage's cells are shared by workers.
  const jobs = navigator.hardwareConcurrency || 1;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../defend.ts", import.meta.url).pathname,
      "--profile",
      profile,
      "--models",
      "av-concat",
      "--jobs",
      String(jobs),
      "--cache-dir",
      cacheDir,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(stderr);
  if (code !== 0) {
    throw new Error(`Cannot bench the defense stage: deno task defend exited ${code}: ${log.slice(-400)}`);
  }
  const row = /^ {2}defense\s+ran\s+([\d.]+) s\s+cells\s+(\d+) cached\s+(\d+) computed/m.exec(log);
  if (!row) throw new Error(`Cannot bench the defense stage: no summary row in:\n${log.slice(-400)}`);
  const seconds = Number(row[1]);
  yield {
    model: `${config.datasets.map((d) => d.name).join("+")}/${config.defense?.base ?? "none"}`,
    step: `defense-stage-cold-${profile}`,
    ms: seconds * 1000,
    seconds,
    jobs,
    targetSeconds: 900,
    withinTarget: seconds <= 900,
  };
}

/** The `defense` stage of the default profile, cold (its budget: 15 minutes on 2 cores). */
function defenseSuite(): AsyncGenerator<BenchCase> {
  return defenseColdTime("default", ".cache/bench/defense");
}

/** Every suite by name, in the order `deno task bench` runs them. */
export const BENCH_SUITES: Record<string, BenchSuite> = {
  engine: engineSuite,
  kernels: kernelsSuite,
  attack: attackSuite,
  train: trainSuite,
  sweep: sweepSuite,
  localize: localizeSuite,
  report: reportSuite,
  scale: scaleSuite,
  weights: weightsSuite,
  defense: defenseSuite,
  memory: memorySuite,
  paper: paperSuite,
};

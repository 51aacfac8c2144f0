/**
 * `deno task train`: train models on a built-in dataset, with checkpoints and resume.
 *
 *     deno task train --dataset av-digits --model av --fusion concat
 *     deno task train --dataset av-digits --all
 *
 * Flags: --dataset NAME (av-digits | av-instruments), --model audio|visual|av (default av), --fusion NAME
 * (default concat), --all (both unimodal models and every fusion), --size smoke|default (default default),
 * --data-seed N, --preset small|paper (model and training recipe, default small), --epochs N,
 * --batch-size N, --seed N (shuffling and augmentation), --model-seed N (initialisation),
 * --optimizer sgd|adam, --lr X (every group), --audio-front-end waveform|logmel, --out DIR
 * (default .cache/checkpoints/<dataset>-<size>), --fresh (ignore saved state), --backend wasm|cpu.
 *
 * Each model trains into `<out>/<name>/` (`best/` checkpoint, `state/` for resume); rerunning the same
 * command after an interruption (Ctrl-C included) continues where the last finished epoch left off.
 * `<out>/summary.json` collects the results. Exit status: 0 success, 1 failure, 2 usage error,
 * 130 interrupted.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { useBackend } from "../lib/engine/backend.ts";
import { writeFileAtomic } from "../lib/cache/atomic.ts";
import { type BuiltinName, loadBuiltin } from "../lib/data/builtin/builtin.ts";
import type { ModelConfigInput } from "../lib/models/config.ts";
import { FUSIONS, isFusionName } from "../lib/models/fusions/registry.ts";
import type { FusionName } from "../lib/models/fusions/types.ts";
import { formatProgress, type TrainProgress } from "../lib/train/progress.ts";
import type { TrainConfigInput } from "../lib/train/config.ts";
import { trainModel } from "../lib/train/train_model.ts";

const USAGE = `Usage:
  deno task train --dataset av-digits|av-instruments [--model audio|visual|av] [--fusion NAME] [--all]
    [--size smoke|default] [--data-seed N] [--preset small|paper] [--epochs N] [--batch-size N] [--seed N]
    [--model-seed N] [--optimizer sgd|adam] [--lr X] [--audio-front-end waveform|logmel] [--out DIR]
    [--fresh] [--backend wasm|cpu]
Fusions: ${Object.keys(FUSIONS).join(", ")}`;

class UsageError extends Error {}

type ModelSpec = { name: string; kind: "audio" | "visual" | "av"; fusion: FusionName | "none" };

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const found = allowed.find((a) => a === value);
  if (!found) {
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, current value is '${value}'`);
  }
  return found;
}

function number(value: string | undefined, flag: string, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(
      `${flag} must be ${integer ? "an integer" : "a number"}, current value is '${value}'`,
    );
  }
  return parsed;
}

function modelSpecs(all: boolean, model: string | undefined, fusion: string | undefined): ModelSpec[] {
  if (all) {
    return [
      { name: "audio", kind: "audio", fusion: "none" },
      { name: "visual", kind: "visual", fusion: "none" },
      ...Object.keys(FUSIONS).filter(isFusionName).map((f): ModelSpec => ({
        name: `av-${f}`,
        kind: "av",
        fusion: f,
      })),
    ];
  }
  const kind = oneOf(model, ["audio", "visual", "av"] as const, "--model", "av");
  if (kind !== "av") {
    if (fusion !== undefined) throw new UsageError(`--fusion applies to --model av only`);
    return [{ name: kind, kind, fusion: "none" }];
  }
  const name = fusion ?? "concat";
  if (!isFusionName(name)) {
    throw new UsageError(
      `--fusion must be one of ${Object.keys(FUSIONS).join(", ")}, current value is '${name}'`,
    );
  }
  return [{ name: `av-${name}`, kind, fusion: name }];
}

/** Progress on stderr: a redrawn bar on a terminal, one line per epoch otherwise. */
function progressPrinter(label: string): (event: TrainProgress) => void {
  const tty = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  const write = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
  let lastDraw = 0;
  return (event) => {
    if (event.kind === "step") {
      const now = performance.now();
      if (!tty || (now - lastDraw < 100 && event.step < event.steps)) return;
      lastDraw = now;
      write(`\r\x1b[2K${label} ${formatProgress(event)}`);
      return;
    }
    write(`${tty ? "\r\x1b[2K" : ""}${label} ${formatProgress(event)}\n`);
  };
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: "string" },
      model: { type: "string" },
      fusion: { type: "string" },
      all: { type: "boolean", default: false },
      size: { type: "string" },
      "data-seed": { type: "string" },
      preset: { type: "string" },
      epochs: { type: "string" },
      "batch-size": { type: "string" },
      seed: { type: "string" },
      "model-seed": { type: "string" },
      optimizer: { type: "string" },
      lr: { type: "string" },
      "audio-front-end": { type: "string" },
      out: { type: "string" },
      fresh: { type: "boolean", default: false },
      backend: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.dataset === undefined) throw new UsageError("--dataset is required");
  const datasetName: BuiltinName = oneOf(
    values.dataset,
    ["av-digits", "av-instruments"] as const,
    "--dataset",
    "av-digits",
  );
  const size = oneOf(values.size, ["smoke", "default"] as const, "--size", "default");
  const preset = oneOf(values.preset, ["small", "paper"] as const, "--preset", "small");
  const specs = modelSpecs(values.all, values.model, values.fusion);
  const frontEnd = oneOf(
    values["audio-front-end"],
    ["waveform", "logmel", ""] as const,
    "--audio-front-end",
    "",
  );
  const optimizer = oneOf(values.optimizer, ["sgd", "adam", ""] as const, "--optimizer", "");
  const backend = oneOf(values.backend, ["wasm", "cpu"] as const, "--backend", "wasm");
  const epochs = number(values.epochs, "--epochs");
  const batchSize = number(values["batch-size"], "--batch-size");
  const seed = number(values.seed, "--seed");
  const modelSeed = number(values["model-seed"], "--model-seed");
  const dataSeed = number(values["data-seed"], "--data-seed") ?? 0;
  const lr = number(values.lr, "--lr", false);
  const out = values.out ?? `.cache/checkpoints/${datasetName}-${size}`;

  await useBackend(backend);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  const dataset = await loadBuiltin(datasetName, {
    size,
    seed: dataSeed,
    onProgress: ({ stage, done, total }) => {
      if (done === total) console.error(`${datasetName}: ${stage} done (${total})`);
    },
  });
  const train: TrainConfigInput = {
    preset,
    ...(epochs !== undefined ? { epochs } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(optimizer ? { optimizer: { kind: optimizer } } : {}),
    ...(lr !== undefined ? { learningRates: { audio: lr, visual: lr, fusion: lr } } : {}),
  };
  const summaryPath = `${out}/summary.json`;
  const summary: Record<string, unknown> = await Deno.readTextFile(summaryPath).then(JSON.parse).catch(
    () => ({}),
  );
  let status = 0;
  try {
    for (const spec of specs) {
      const audio: ModelConfigInput["audio"] = frontEnd === "waveform"
        ? { frontEnd: { kind: "waveform" }, stride: 2 }
        : frontEnd === "logmel"
        ? {
          frontEnd: { kind: "logMel", fftSize: 256, hopSize: 128, melBins: 40, minFrequency: 0 },
          stride: 1,
        }
        : {};
      const t0 = performance.now();
      const result = await trainModel(dataset, {
        model: {
          preset,
          kind: spec.kind,
          fusion: spec.fusion,
          ...(modelSeed !== undefined ? { seed: modelSeed } : {}),
          ...(frontEnd ? { audio } : {}),
        },
        train,
      }, {
        outDir: `${out}/${spec.name}`,
        resume: !values.fresh,
        onProgress: progressPrinter(spec.name),
        signal: controller.signal,
        evaluateTest: true,
      });
      const seconds = (performance.now() - t0) / 1000;
      result.model.dispose();
      if (!result.completed) {
        console.error(
          `${spec.name}: interrupted; rerun the same command to resume from the last finished epoch`,
        );
        status = 130;
        break;
      }
      const best = result.best;
      summary[spec.name] = {
        dataset: dataset.name,
        datasetHash: dataset.hash,
        checkpoint: `${out}/${spec.name}/best`,
        bestEpoch: best?.epoch ?? null,
        valAccuracy: best?.valAccuracy ?? null,
        testAccuracy: result.testAccuracy,
        seconds: Math.round(seconds * 10) / 10,
        resumedFrom: result.resumedFrom,
      };
      await writeFileAtomic(summaryPath, JSON.stringify(summary, null, 2) + "\n");
      console.log(
        `${spec.name}: best val ${(100 * (best?.valAccuracy ?? 0)).toFixed(1)}% (epoch ${
          (best?.epoch ?? 0) + 1
        }), ` +
          `test ${(100 * (result.testAccuracy ?? 0)).toFixed(1)}%, ${
            seconds.toFixed(1)
          } s -> ${out}/${spec.name}/best`,
      );
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
  }
  if (status === 0) console.log(accuracyTable(dataset.name, summary));
  return status;
}

type SummaryRow = { testAccuracy?: number | null; valAccuracy?: number | null; seconds?: number };

/**
 * The accuracy table of every model trained into this folder so far, and whether the dataset serves its
 * purpose (each unimodal model between 55% and 85%, the best audio-visual model at least 8 points above
 * the better unimodal one).
 */
function accuracyTable(name: string, summary: Record<string, unknown>): string {
  const rows = Object.entries(summary) as [string, SummaryRow][];
  const percent = (value: number | null | undefined) => value == null ? "–" : `${(100 * value).toFixed(1)}%`;
  const lines = [
    `\n${name}: test accuracy`,
    "",
    "| model | best val | test | train time (s) |",
    "| --- | --- | --- | --- |",
    ...rows.map(([model, row]) =>
      `| ${model} | ${percent(row.valAccuracy)} | ${percent(row.testAccuracy)} | ${row.seconds ?? "–"} |`
    ),
  ];
  const test = (model: string) => (summary[model] as SummaryRow | undefined)?.testAccuracy ?? null;
  const audio = test("audio"), visual = test("visual");
  const av = rows.filter(([model]) => model.startsWith("av-")).map(([model, row]) =>
    [model, row.testAccuracy ?? 0] as const
  );
  if (audio !== null && visual !== null && av.length > 0) {
    const [bestModel, bestAv] = av.reduce((a, b) => (b[1] > a[1] ? b : a));
    const unimodalOk = [audio, visual].every((a) => a >= 0.55 && a <= 0.85);
    const gain = bestAv - Math.max(audio, visual);
    lines.push(
      "",
      `unimodal models within 55-85%: ${unimodalOk ? "yes" : "no"} (audio ${percent(audio)}, visual ${
        percent(visual)
      })`,
      `best audio-visual model ${bestModel} is ${
        (100 * gain).toFixed(1)
      } points above the better unimodal one: ${gain >= 0.08 ? "meets" : "misses"} the 8-point bar`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) {
      console.error(`${error.message}\n${USAGE}`);
      Deno.exit(2);
    }
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    Deno.exit(1);
  }
}

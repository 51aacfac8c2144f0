/**
 * `deno task attack`: robustness sweeps of trained models under multimodal attacks.
 *
 *     deno task attack --dataset av-digits --models all --attacks fgsm,pgd,mim --budgets paper
 *     deno task attack --dataset av-digits --models av-concat,audio --attacks apgd --budgets grid --n 200
 *     deno task attack --dataset av-digits --models av-concat --attacks pgd --budgets 0.012:0,0.006:0.006
 *
 * Flags:
 *   --dataset NAME        built-in dataset (av-digits, av-instruments)          [av-digits]
 *   --size smoke|default  dataset size                                         [default]
 *   --models LIST|all     audio, visual, av-<fusion>; all = every checkpoint found
 *   --attacks LIST        fgsm, pgd, mim, apgd, worst (worst case of the others) [fgsm,pgd,mim]
 *   --budgets SPEC        paper | defense | grid | lines | list of eps_a:eps_v pairs [paper]
 *   --norm linf|l2        norm of grid/list budgets                            [linf]
 *   --visual-units U      normalized | pixel, for grid/list budgets            [normalized]
 *   --protocol P          fixed (correct attacks, best iterate) | paper (last iterate, MIM as released) [fixed]
 *   --n N                 samples of the test split (seeded subset)            [all]
 *   --seed N --batch-size N --out FILE.jsonl --cache-dir DIR --checkpoints DIR --backend wasm|cpu
 *   --train-missing       train models whose checkpoint is missing (lib/train defaults)
 *   --restart             discard the resume state of --out
 *   --jobs N              run N processes, each on a share of the models (one core each)  [1]
 *
 * Checkpoints are read from `<checkpoints>/<dataset>-<size>/<model>/best`, where `deno task train` writes them.
 * Writes one EvalRecord per line to --out (resume state beside it) and prints a summary table.
 * Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { useBackend } from "../lib/engine/mod.ts";
import { type BuiltinName, loadBuiltin } from "../lib/data/builtin/builtin.ts";
import type { AvDataset } from "../lib/data/types.ts";
import { isFusionName } from "../lib/models/fusions/registry.ts";
import type { ModelConfigInput } from "../lib/models/config.ts";
import { loadCheckpoint, trainModel } from "../lib/train/mod.ts";
import {
  ATTACK_PRESETS,
  type AttackSpec,
  budgetGrid,
  budgetLabel,
  DEFENSE_BUDGETS,
  PAPER_BUDGETS,
} from "../lib/attacks/mod.ts";
import type { Budget, Norm, VisualUnits } from "../lib/attacks/mod.ts";
import { type EvalRecord, runSweep, type SweepModel } from "../lib/eval/mod.ts";
import { writeFileAtomic } from "../lib/cache/mod.ts";
import { runJobs } from "./_attack_jobs.ts";
import { claimsMarkdown, fromEvalRecords, table1Markdown, table2Markdown } from "../lib/report/mod.ts";

class UsageError extends Error {}

type AttackFlag = "fgsm" | "pgd" | "mim" | "apgd" | "worst";
const ATTACK_NAMES: readonly AttackFlag[] = ["fgsm", "pgd", "mim", "apgd", "worst"];

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, current value is '${value}'`);
  }
  return found;
}

function integer(flag: string, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`--${flag} must be a non-negative integer, current value is '${value}'`);
  }
  return n;
}

/** The attack specs of a protocol (from {@linkcode ATTACK_PRESETS}), plus the worst case when asked for. */
function attackSpecs(names: AttackFlag[], protocol: "fixed" | "paper"): AttackSpec[] {
  const preset = ATTACK_PRESETS[protocol];
  const members = names.flatMap((name): AttackSpec[] => {
    if (name === "worst") return [];
    return [
      preset.find((s) => s.attack === name) ?? ATTACK_PRESETS.strong.find((s) => s.attack === name) ??
        { attack: name },
    ];
  });
  const out: AttackSpec[] = [...members];
  if (names.includes("worst")) {
    if (members.length < 2) {
      throw new UsageError("--attacks worst needs at least two other attacks to combine");
    }
    out.push({ attack: "worstCase", options: { attacks: members } });
  }
  return out;
}

function parseBudgets(spec: string, norm: Norm, visualUnits: VisualUnits): Budget[] {
  if (spec === "paper") return Object.values(PAPER_BUDGETS).map((b) => ({ ...b }));
  if (spec === "defense") return Object.values(DEFENSE_BUDGETS).map((b) => ({ ...b }));
  if (spec === "grid" || spec === "lines") {
    return budgetGrid({ norm, visualUnits, layout: spec === "grid" ? "full" : "lines" });
  }
  return spec.split(",").map((pair) => {
    const [audio, visual, extra] = pair.split(":").map(Number);
    if (extra !== undefined || !(Number(audio) >= 0) || !(Number(visual) >= 0)) {
      throw new UsageError(
        `--budgets pairs must read eps_a:eps_v with numbers >= 0, current value is '${pair}'`,
      );
    }
    return { norm, audio: Number(audio), visual: Number(visual), visualUnits };
  });
}

function modelConfig(name: string): Omit<ModelConfigInput, "numClasses"> {
  if (name === "audio" || name === "visual") return { kind: name };
  const fusion = name.startsWith("av-") ? name.slice(3) : "";
  if (!isFusionName(fusion)) {
    throw new UsageError(`--models entries must be audio, visual or av-<fusion>, current value is '${name}'`);
  }
  return { kind: "av", fusion };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function loadModels(
  names: string[],
  root: string,
  dataset: AvDataset,
  trainMissing: boolean,
): Promise<SweepModel[]> {
  const models: SweepModel[] = [];
  for (const name of names) {
    const config = modelConfig(name);
    const dir = `${root}/${name}`;
    if (!(await exists(`${dir}/best`))) {
      if (!trainMissing) {
        throw new UsageError(
          `no checkpoint for model '${name}' at ${dir}/best; train it or pass --train-missing`,
        );
      }
      log(`training ${name} (checkpoint ${dir}/best)`);
      const trained = await trainModel(dataset, { model: config }, { outDir: dir });
      trained.model.dispose();
    }
    // The sweep hashes the loaded weights, so a retrained checkpoint never reuses cached cells.
    const { model } = await loadCheckpoint(`${dir}/best`, { datasetHash: dataset.hash });
    models.push({ name, model });
  }
  return models;
}

async function listCheckpoints(root: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (entry.isDirectory && await exists(`${root}/${entry.name}/best`)) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

async function gitRevision(): Promise<string> {
  try {
    const { code, stdout } = await new Deno.Command("git", {
      args: ["rev-parse", "--short", "HEAD"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return code === 0 ? new TextDecoder().decode(stdout).trim() : "unknown";
  } catch {
    return "unknown";
  }
}

function log(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

function summary(records: EvalRecord[]): string {
  const pct = (v: number | null) => (v === null ? "-" : (100 * v).toFixed(1));
  const rows = records.map((
    r,
  ) => [
    r.model,
    r.attackLabel,
    `a=${r.epsAudio} v=${r.epsVisual}`,
    pct(r.cleanAccuracy),
    pct(r.robustAccuracy),
    r.flags.join(",") || "ok",
  ]);
  const head = ["model", "attack", "budget", "clean %", "robust %", "flags"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  return [head, ...rows].map((r) => r.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join("  ")).join("\n");
}

/**
 * The per-cell summary, then (for the paper's budgets) the paper's Tables 1 and 2 and its headline claims
 * beside the verdicts computed from these records.
 */
function results(records: EvalRecord[], budgets: string): string {
  if (budgets !== "paper") return summary(records);
  const table = fromEvalRecords(records, "table");
  return [summary(records), "", table1Markdown(table), "", table2Markdown(table), "", claimsMarkdown(table)]
    .join("\n");
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: "string", default: "av-digits" },
      size: { type: "string", default: "default" },
      models: { type: "string", default: "all" },
      attacks: { type: "string", default: "fgsm,pgd,mim" },
      budgets: { type: "string", default: "paper" },
      norm: { type: "string", default: "linf" },
      "visual-units": { type: "string", default: "normalized" },
      protocol: { type: "string", default: "fixed" },
      n: { type: "string" },
      seed: { type: "string" },
      "batch-size": { type: "string" },
      out: { type: "string" },
      "cache-dir": { type: "string", default: ".cache/eval" },
      checkpoints: { type: "string", default: ".cache/checkpoints" },
      backend: { type: "string", default: "wasm" },
      "train-missing": { type: "boolean", default: false },
      restart: { type: "boolean", default: false },
      jobs: { type: "string", default: "1" },
    },
  });
  const datasetName = choice<BuiltinName>("dataset", values.dataset, ["av-digits", "av-instruments"]);
  const size = choice<"smoke" | "default">("size", values.size, ["smoke", "default"]);
  const norm = choice<Norm>("norm", values.norm, ["linf", "l2"]);
  const visualUnits = choice<VisualUnits>("visual-units", values["visual-units"], ["normalized", "pixel"]);
  const protocol = choice<"fixed" | "paper">("protocol", values.protocol, ["fixed", "paper"]);
  const attackNames = values.attacks.split(",").map((a) =>
    choice<AttackFlag>("attacks", a.trim(), ATTACK_NAMES)
  );
  const budgets = parseBudgets(values.budgets, norm, visualUnits);
  const backend = choice<"wasm" | "cpu">("backend", values.backend, ["wasm", "cpu"]);
  const seed = integer("seed", values.seed, 0) ?? 0;
  const n = integer("n", values.n, undefined);
  const batchSize = integer("batch-size", values["batch-size"], 32) ?? 32;
  const out = values.out ?? `reports/attack/${datasetName}${size === "default" ? "" : `-${size}`}.jsonl`;
  const statePath = `${out}.state.json`;

  await useBackend(backend, { seed });
  const dataset = await loadBuiltin(datasetName, {
    size,
    onProgress: (p) => p.done === p.total && log(`data: ${p.stage} done`),
  });
  const root = `${values.checkpoints}/${datasetName}-${size}`;
  const names = values.models === "all"
    ? await listCheckpoints(root)
    : values.models.split(",").map((m) => m.trim());
  if (names.length === 0) {
    throw new UsageError(`no checkpoints under ${root}; list --models and pass --train-missing`);
  }
  const jobs = Math.min(integer("jobs", values.jobs, 1) ?? 1, names.length);
  if (jobs > 1) {
    for (const m of await loadModels(names, root, dataset, values["train-missing"])) m.model.dispose();
    const records = await runJobs(values, names, jobs, out);
    await writeFileAtomic(out, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    console.log(results(records, values.budgets));
    log(`wrote ${records.length} records to ${out}`);
    return 0;
  }
  const models = await loadModels(names, root, dataset, values["train-missing"]);
  if (values.restart) await Deno.remove(statePath).catch(() => {});
  log(
    `attacking ${models.length} model(s) x ${attackNames.length} attack(s) x ${budgets.length} budget(s): ${
      budgets.map(budgetLabel).join("; ")
    }`,
  );
  try {
    const records = await runSweep({
      models,
      data: {
        name: dataset.name,
        hash: dataset.hash,
        split: dataset.splits.test,
        shape: dataset,
        splitName: "test",
      },
      attacks: attackSpecs(attackNames, protocol),
      budgets,
      ...(n === undefined ? {} : { n }),
      batchSize,
      seed,
      cacheDir: values["cache-dir"],
      statePath,
      codeVersion: await gitRevision(),
      onProgress: (e) =>
        e.status !== "running" &&
        log(`[${e.cell}/${e.cells}] ${e.model} ${e.attack} ${e.budget}: ${e.status}`),
    });
    await writeFileAtomic(out, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    console.log(results(records, values.budgets));
    log(`wrote ${records.length} records to ${out}`);
    return 0;
  } finally {
    for (const m of models) m.model.dispose();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    const usage = error instanceof UsageError || code.startsWith("ERR_PARSE_ARGS");
    log(`${usage ? "Usage error" : "Error"}: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(usage ? 2 : 1);
  }
}

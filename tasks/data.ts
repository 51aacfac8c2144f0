/**
 * `deno task data`: list, build and describe the built-in datasets, and check user datasets.
 *
 *     deno task data list
 *     deno task data build <name> [--size smoke|default] [--seed N] [--cache-dir DIR]
 *     deno task data card <name> [--size smoke|default] [--seed N] [--out DIR]
 *     deno task data card <path> --layout csv|videos [--out DIR] [loader flags]
 *     deno task data check <path> --layout csv|videos|ave [--skip-broken] [loader flags]
 *
 * Loader flags: --csv FILE (one CSV, split by --seed), --seed N, --audio-length N, --sample-rate N,
 * --image-size N, --deep (csv: decode every frame), --class-order eccv18|cvpr21 (ave).
 * Exit status: 0 success, 1 problems found, 2 usage error.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { checkDataset, type DatasetLayout, formatCheckReport } from "../lib/data/inspect/check.ts";
import { openCsvLayout } from "../lib/data/loaders/csv_layout.ts";
import { writeDatasetCard } from "../lib/data/inspect/dataset_card.ts";
import type { AvDataset } from "../lib/data/types.ts";
import { openVideoFolder } from "../lib/data/loaders/video_folder.ts";

const USAGE = `Usage:
  deno task data list
  deno task data build <name> [--size smoke|default] [--seed N] [--cache-dir DIR]
  deno task data card <name> [--size smoke|default] [--seed N] [--out DIR]
  deno task data card <path> --layout csv|videos [--out DIR] [loader flags]
  deno task data check <path> --layout csv|videos|ave [--skip-broken] [loader flags]
Loader flags: --csv FILE, --seed N, --audio-length N, --sample-rate N, --image-size N, --deep,
              --class-order eccv18|cvpr21`;

class UsageError extends Error {}

type Progress = (p: { stage: string; done: number; total: number }) => void;

/** A `\r`-updated bar on a terminal; one plain line per stage otherwise (both on stderr). */
function progressPrinter(): { report: Progress; end: () => void } {
  const tty = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  const write = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
  let stage = "", shown = -1, open = false;
  return {
    report({ stage: name, done, total }) {
      if (name !== stage) {
        if (open) write("\n");
        open = false;
        stage = name;
        shown = -1;
        if (!tty) write(`${name}: ${total} step(s)\n`);
      }
      if (!tty) return;
      const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
      if (percent === shown) return;
      shown = percent;
      const filled = Math.round(percent / 5);
      write(`\r${name.padEnd(12)} [${"#".repeat(filled)}${".".repeat(20 - filled)}] ${done}/${total}`);
      open = true;
    },
    end() {
      if (open) write("\n");
      open = false;
    },
  };
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) {
    throw new UsageError(`${flag} must be an integer, current value is '${value}'`);
  }
  return number;
}

function layoutOf(value: string | undefined, allowed: readonly DatasetLayout[]): DatasetLayout {
  const layout = allowed.find((l) => l === value);
  if (!layout) {
    throw new UsageError(`--layout must be one of ${allowed.join(", ")}, current value is '${value ?? ""}'`);
  }
  return layout;
}

async function builtins() {
  const { BUILTIN_DATASETS, loadBuiltin } = await import("../lib/data/builtin/builtin.ts");
  const names = Object.keys(BUILTIN_DATASETS);
  const isName = (value: string | undefined): value is keyof typeof BUILTIN_DATASETS =>
    value !== undefined && Object.hasOwn(BUILTIN_DATASETS, value);
  const nameOf = (value: string | undefined) => {
    if (!isName(value)) throw new UsageError(`unknown dataset '${value ?? ""}', known: ${names.join(", ")}`);
    return value;
  };
  return { BUILTIN_DATASETS, loadBuiltin, nameOf };
}

type Values = ReturnType<typeof parse>["values"];

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      size: { type: "string" },
      seed: { type: "string" },
      "cache-dir": { type: "string" },
      out: { type: "string" },
      layout: { type: "string" },
      "skip-broken": { type: "boolean", default: false },
      deep: { type: "boolean", default: false },
      csv: { type: "string" },
      "audio-length": { type: "string" },
      "sample-rate": { type: "string" },
      "image-size": { type: "string" },
      "class-order": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

function loaderOptions(values: Values) {
  const seed = integer(values.seed, "--seed");
  const audioLength = integer(values["audio-length"], "--audio-length");
  const sampleRate = integer(values["sample-rate"], "--sample-rate");
  const imageSize = integer(values["image-size"], "--image-size");
  return {
    ...(seed !== undefined ? { seed } : {}),
    ...(audioLength !== undefined ? { audioLength } : {}),
    ...(sampleRate !== undefined ? { sampleRate } : {}),
    ...(imageSize !== undefined ? { imageSize } : {}),
  };
}

async function loadNamed(target: string, values: Values, progress: Progress): Promise<AvDataset> {
  if (values.layout !== undefined) {
    const layout = layoutOf(values.layout, ["csv", "videos"]);
    const common = { ...loaderOptions(values), onProgress: progress };
    return layout === "csv"
      ? await openCsvLayout(target, { ...common, ...(values.csv ? { csv: values.csv } : {}) })
      : await openVideoFolder(target, common);
  }
  const { loadBuiltin, nameOf } = await builtins();
  const size = values.size ?? "default";
  if (size !== "smoke" && size !== "default") {
    throw new UsageError(`--size must be smoke or default, current value is '${size}'`);
  }
  const seed = integer(values.seed, "--seed");
  return await loadBuiltin(nameOf(target), {
    size,
    ...(seed !== undefined ? { seed } : {}),
    ...(values["cache-dir"] ? { cacheDir: values["cache-dir"] } : {}),
    onProgress: progress,
  });
}

function describe(data: AvDataset): string {
  const { train, val, test } = data.splits;
  return [
    `${data.name}: ${data.classes.length} classes, train ${train.size} / val ${val.size} / test ${test.size}`,
    `audio ${data.audioLength} samples at ${data.sampleRate} Hz, frames ${data.imageShape.join("x")}`,
    `hash ${data.hash}`,
    ...(data.skipped.length ? [`skipped ${data.skipped.length} clip(s)`] : []),
  ].join("\n");
}

async function main(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const progress = progressPrinter();
  try {
    if (command === "list") {
      const { BUILTIN_DATASETS } = await builtins();
      for (const [name, { description }] of Object.entries(BUILTIN_DATASETS)) {
        console.log(`${name}\t${description}`);
      }
      return 0;
    }
    if (!target) throw new UsageError(`'${command}' needs a dataset name or path`);
    if (command === "build") {
      const { layout: _layout, ...builtinValues } = values;
      const start = performance.now();
      const data = await loadNamed(target, builtinValues, progress.report);
      const seconds = (performance.now() - start) / 1000;
      progress.end();
      console.log(describe(data));
      const fromCache = "fromCache" in data && data.fromCache === true;
      console.log(`${fromCache ? "loaded from cache" : "built"} in ${seconds.toFixed(1)} s`);
      return 0;
    }
    if (command === "card") {
      const data = await loadNamed(target, values, progress.report);
      const out = values.out ?? join("reports", "cards", data.name);
      const card = await writeDatasetCard(data, out, { onProgress: progress.report });
      progress.end();
      console.log(describe(data));
      console.log(
        `card written to ${out}/ (README.md, card.json, ${card.examples.length} example frames and spectrograms)`,
      );
      return 0;
    }
    if (command === "check") {
      const layout = layoutOf(values.layout, ["csv", "videos", "ave"]);
      const common = loaderOptions(values);
      const classOrder = values["class-order"];
      if (classOrder !== undefined && classOrder !== "eccv18" && classOrder !== "cvpr21") {
        throw new UsageError(`--class-order must be eccv18 or cvpr21, current value is '${classOrder}'`);
      }
      const report = await checkDataset(target, {
        layout,
        csv: { ...common, deepVerify: values.deep, ...(values.csv ? { csv: values.csv } : {}) },
        videos: common,
        ave: classOrder ? { classOrder } : {},
        onProgress: progress.report,
      });
      progress.end();
      console.log(formatCheckReport(report));
      const usable = report.splits.train.size + report.splits.val.size + report.splits.test.size;
      if (report.ok) return 0;
      if (values["skip-broken"] && !report.fatal && usable > 0) {
        console.log(`--skip-broken: ${report.problems.length} clip(s) will be skipped, ${usable} usable`);
        return 0;
      }
      return 1;
    }
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    progress.end();
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));

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
 * --image-size N, --classes LIST (csv, videos: class names in label order), --rehash (csv, videos: hash
 * file contents), --deep (csv: decode every frame), --class-order eccv18|cvpr21 (ave).
 * Exit status: 0 success, 1 problems found, 2 usage error.
 *
 * @module
 */
import { join } from "node:path";
import { checkDataset, type DatasetLayout, formatCheckReport } from "../lib/data/inspect/check.ts";
import { openCsvLayout } from "../lib/data/loaders/csv_layout.ts";
import { writeDatasetCard } from "../lib/data/inspect/dataset_card.ts";
import type { AvDataset } from "../lib/data/types.ts";
import { openVideoFolder } from "../lib/data/loaders/video_folder.ts";
import {
  booleanFlag,
  choiceFlag,
  type Cli,
  integerFlag,
  listFlag,
  type Parsed,
  runCli,
  stringFlag,
  terminalWriter,
  UsageError,
} from "./_cli.ts";

const CLI: Cli = {
  command: "deno task data",
  usage: [
    "list",
    "build <name> [--size smoke|default] [--seed N] [--cache-dir DIR]",
    "card <name> [--size smoke|default] [--seed N] [--out DIR]",
    "card <path> --layout csv|videos [--out DIR] [loader flags]",
    "check <path> --layout csv|videos|ave [--skip-broken] [loader flags]",
  ],
  summary: "Lists, builds and describes the built-in datasets, and checks or describes your own data.\n" +
    "check exits 1 when it finds problems (0 with --skip-broken while some clips are usable).",
  flags: {
    size: { type: "string", value: "smoke|default", default: "default", help: "size of a built-in dataset" },
    seed: {
      type: "string",
      value: "N",
      help: "data seed (built-in: generation; csv --csv / videos: the split)",
    },
    "cache-dir": { type: "string", value: "DIR", help: "built-in data cache [default: .cache/data]" },
    out: { type: "string", value: "DIR", help: "card folder [default: reports/cards/<name>]" },
    layout: { type: "string", value: "csv|videos|ave", help: "layout of a user dataset" },
    "skip-broken": { type: "boolean", help: "check: accept broken clips as long as some are usable" },
    deep: { type: "boolean", help: "check, csv: decode every frame" },
    csv: { type: "string", value: "FILE", help: "csv: one CSV, split per class by --seed" },
    "audio-length": { type: "string", value: "N", help: "samples per waveform [default: 65535]" },
    "sample-rate": { type: "string", value: "N", help: "audio rate in Hz [default: 11025]" },
    "image-size": { type: "string", value: "N", help: "frame size in pixels [default: 224]" },
    "class-order": { type: "string", value: "eccv18|cvpr21", help: "ave: the class order of the labels" },
    classes: {
      type: "string",
      value: "LIST",
      help: "csv, videos: class names in label order, comma-separated; other labels are errors " +
        "[default: the classes of the training split]",
    },
    rehash: {
      type: "boolean",
      help: "csv, videos: hash the bytes of every media file into the dataset hash, not only size and time",
    },
  },
};

type Progress = (p: { stage: string; done: number; total: number }) => void;

/**
 * Loader progress through the tasks' one terminal sink: on a terminal a bar redrawn in place, in logs one
 * line per stage.
 */
function progressPrinter(): { report: Progress; end: () => void } {
  const write = terminalWriter();
  const tty = Deno.stderr.isTerminal();
  let stage = "", shown = -1, open = false;
  return {
    report({ stage: name, done, total }) {
      if (name !== stage) {
        stage = name;
        shown = -1;
        if (!tty) write(`${name}: ${total} step(s)`);
      }
      if (!tty) return;
      const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
      if (percent === shown) return;
      shown = percent;
      const filled = Math.round(percent / 5);
      write(
        `${name.padEnd(12)} [${"#".repeat(filled)}${".".repeat(20 - filled)}] ${done}/${total}`,
        done >= total,
      );
      open = done < total;
    },
    end() {
      if (open) write("");
      open = false;
    },
  };
}

function layoutOf(parsed: Parsed, allowed: readonly DatasetLayout[]): DatasetLayout {
  const value = stringFlag(parsed, "layout");
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

function loaderOptions(parsed: Parsed) {
  const seed = integerFlag(parsed, "seed", 0);
  const audioLength = integerFlag(parsed, "audio-length", 1);
  const sampleRate = integerFlag(parsed, "sample-rate", 1);
  const imageSize = integerFlag(parsed, "image-size", 1);
  const classes = listFlag(parsed, "classes");
  return {
    ...(classes ? { classes } : {}),
    ...(booleanFlag(parsed, "rehash") ? { rehash: true } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(audioLength !== undefined ? { audioLength } : {}),
    ...(sampleRate !== undefined ? { sampleRate } : {}),
    ...(imageSize !== undefined ? { imageSize } : {}),
  };
}

async function loadNamed(
  target: string,
  parsed: Parsed,
  progress: Progress,
  user = true,
): Promise<AvDataset> {
  if (user && stringFlag(parsed, "layout") !== undefined) {
    const layout = layoutOf(parsed, ["csv", "videos"]);
    const common = { ...loaderOptions(parsed), onProgress: progress };
    const csv = stringFlag(parsed, "csv");
    return layout === "csv"
      ? await openCsvLayout(target, { ...common, ...(csv ? { csv } : {}) })
      : await openVideoFolder(target, common);
  }
  const { loadBuiltin, nameOf } = await builtins();
  const size = choiceFlag(parsed, "size", ["smoke", "default"] as const, "default");
  const seed = integerFlag(parsed, "seed", 0);
  const cacheDir = stringFlag(parsed, "cache-dir");
  return await loadBuiltin(nameOf(target), {
    size,
    ...(seed !== undefined ? { seed } : {}),
    ...(cacheDir ? { cacheDir } : {}),
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

await runCli(CLI, async (parsed, ready) => {
  const [command, target] = parsed.positionals;
  if (!command) throw new UsageError("a command is missing: list, build, card or check");
  const commands = ["list", "build", "card", "check"];
  if (!commands.includes(command)) {
    throw new UsageError(`the command must be one of ${commands.join(", ")}, current value is '${command}'`);
  }
  if (command === "list") {
    const { BUILTIN_DATASETS } = await builtins();
    for (const [name, { description }] of Object.entries(BUILTIN_DATASETS)) {
      console.log(`${name}\t${description}`);
    }
    return 0;
  }
  if (!target) throw new UsageError(`'${command}' needs a dataset name or path`);
  // Every flag is checked before any work, whichever command reads it.
  loaderOptions(parsed);
  choiceFlag(parsed, "size", ["smoke", "default"] as const, "default");
  choiceFlag(parsed, "class-order", ["eccv18", "cvpr21"] as const);
  if (stringFlag(parsed, "layout") !== undefined) layoutOf(parsed, ["csv", "videos", "ave"]);
  const progress = progressPrinter();
  try {
    if (command === "build") {
      loaderOptions(parsed);
      ready();
      const start = performance.now();
      const data = await loadNamed(target, parsed, progress.report, false);
      const seconds = (performance.now() - start) / 1000;
      progress.end();
      console.log(describe(data));
      const fromCache = "fromCache" in data && data.fromCache === true;
      console.log(`${fromCache ? "loaded from cache" : "built"} in ${seconds.toFixed(1)} s`);
      return 0;
    }
    if (command === "card") {
      loaderOptions(parsed);
      ready();
      const data = await loadNamed(target, parsed, progress.report);
      const out = stringFlag(parsed, "out") ?? join("reports", "cards", data.name);
      const card = await writeDatasetCard(data, out, { onProgress: progress.report });
      progress.end();
      console.log(describe(data));
      console.log(
        `card written to ${out}/ (README.md, card.json, ${card.examples.length} example frames and spectrograms)`,
      );
      return 0;
    }
    const layout = layoutOf(parsed, ["csv", "videos", "ave"]);
    const common = loaderOptions(parsed);
    const classOrder = choiceFlag(parsed, "class-order", ["eccv18", "cvpr21"] as const);
    const csv = stringFlag(parsed, "csv");
    ready();
    const report = await checkDataset(target, {
      layout,
      csv: { ...common, deepVerify: booleanFlag(parsed, "deep"), ...(csv ? { csv } : {}) },
      videos: common,
      ave: classOrder ? { classOrder } : {},
      onProgress: progress.report,
    });
    progress.end();
    console.log(formatCheckReport(report));
    const usable = report.splits.train.size + report.splits.val.size + report.splits.test.size;
    if (report.ok) return 0;
    if (booleanFlag(parsed, "skip-broken") && !report.fatal && usable > 0) {
      console.log(`--skip-broken: ${report.problems.length} clip(s) will be skipped, ${usable} usable`);
      return 0;
    }
    return 1;
  } finally {
    progress.end();
  }
});

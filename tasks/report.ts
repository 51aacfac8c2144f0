/**
 * `deno task report`: runs the study (data → train → attack, each stage cached by content hash) and
 * writes `reports/<profile>/` (index.html, results.json, results.csv, charts/*.vl.json, tables/*.tex,
 * provenance.json, examples/ with the adversarial examples as WAV, SVG and PNG files).
 * Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { resolve } from "node:path";
import {
  assembleReport,
  collectProvenance,
  PAPER_PROFILE_NEEDS,
  profileNotes,
  profileVisualBudgets,
  REPORT_STAGES,
  type ReportConfig,
  writeReport,
} from "../lib/report/mod.ts";
import { type Cli, listFlag, runCli, stringFlag, UsageError, wrap } from "./_cli.ts";
import {
  ATTACK_FLAGS,
  EXAMPLE_FLAGS,
  parallelOptions,
  runStudy,
  STAGE_NAMES,
  STUDY_FLAGS,
  studyConfig,
  summaryLines,
  TRAIN_FLAGS,
} from "./_study.ts";

const CLI: Cli = {
  command: "deno task report",
  usage: ["[options]"],
  summary: "Runs the study through the shared cache and writes the supplement to <out>/<profile>/.",
  flags: {
    ...STUDY_FLAGS,
    ...TRAIN_FLAGS,
    ...ATTACK_FLAGS,
    ...EXAMPLE_FLAGS,
    out: {
      type: "string",
      value: "DIR",
      default: "reports",
      help: "reports folder; the report goes to DIR/<profile>",
    },
    rerun: {
      type: "string",
      value: "STAGE",
      multiple: true,
      help: `run a stage (${
        STAGE_NAMES.join(", ")
      }) even if its result is cached (its cells still come from the cache)`,
    },
    until: {
      type: "string",
      value: STAGE_NAMES.join("|"),
      help: "stop after this stage (no report is written)",
    },
  },
  notes: `Writes index.html (table of contents, 95% intervals in every accuracy table), results.json,\n` +
    "results.csv, charts/<name>.vl.json, tables/<name>.tex (every table as LaTeX with booktabs, always\n" +
    "written, linked under each table) and provenance.json. Notebooks executed first by `deno task notebooks`\n" +
    "(.ipynb and .html) are linked from the page. A dataset named ave, music or kinetics-sounds (paper\n" +
    "profile) shows the paper's published numbers beside the measured ones, with their source.\n" +
    `${PAPER_PROFILE_NEEDS}.\n\n` +
    "Visual budgets (ε_v) are in the models' normalised units, as in the paper; per profile, each one's size\n" +
    "in [0, 255] pixels (ε_v · the std of the models' normalisation, on 3-channel frames) for the attack\n" +
    "settings, the ε grid, the defense budgets and the defense's large-ε sanity point:\n" +
    profileVisualBudgets().map((line) => `  ${budgetLines(line).join("\n    ")}`).join("\n"),
};

/** A line of budgets wrapped for the help, never inside an `ε = size` pair. */
function budgetLines(line: string): string[] {
  return wrap(line.replaceAll(" = ", "\u00a0=\u00a0"), 96).map((part) => part.replaceAll("\u00a0", " "));
}

function stageList(values: string[] | undefined, flag: string): string[] | undefined {
  for (const value of values ?? []) {
    if (!STAGE_NAMES.includes(value)) {
      throw new UsageError(
        `--${flag} must name a stage (${STAGE_NAMES.join(", ")}), current value is '${value}'`,
      );
    }
  }
  return values;
}

function dataSeeds(config: ReportConfig): Record<string, number> {
  const seeds: Record<string, number> = {};
  for (const d of config.datasets) if (d.source === "builtin") seeds[`data:${d.name}`] = d.seed;
  return seeds;
}

async function executedNotebooks(outDir: string): Promise<string[]> {
  const notebooks: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${outDir}/notebooks`)) {
      if (entry.isFile && /\.(ipynb|html)$/.test(entry.name)) notebooks.push(`notebooks/${entry.name}`);
    }
  } catch {
    // No executed notebooks yet (`deno task notebooks` writes them).
  }
  return notebooks.sort();
}

await runCli(CLI, async (parsed, ready) => {
  const started = performance.now();
  const config = await studyConfig(parsed);
  const until = stageList(listFlag(parsed, "until"), "until")?.at(-1);
  const rerun = stageList(listFlag(parsed, "rerun"), "rerun");
  const outDir = resolve(stringFlag(parsed, "out") ?? "reports", config.profile);
  const parallel = parallelOptions(parsed);
  ready();
  const pipeline = await runStudy(config, {
    command: CLI.command,
    cacheDir: stringFlag(parsed, "cache-dir") ?? ".cache/report",
    parallel,
    ...(until ? { until } : {}),
    ...(rerun ? { rerun } : {}),
  });
  let written: string | null = null;
  if (until === undefined) {
    const command = ["deno task report", ...Deno.args].join(" ");
    const input = assembleReport(REPORT_STAGES, pipeline, {
      profile: config.profile,
      command,
      notes: profileNotes(config),
      notebooks: await executedNotebooks(outDir),
    });
    const attackSeed = config.attack.seed ?? config.seed;
    const provenance = await collectProvenance({
      command,
      profile: config.profile,
      config,
      seeds: { models: config.seed, training: config.seed, attacks: attackSeed, ...dataSeeds(config) },
      pipeline,
    });
    await writeReport(outDir, input, provenance);
    written = `${outDir}/index.html`;
  }
  const lines = summaryLines(pipeline, (performance.now() - started) / 1000);
  console.log(["", ...lines, ...(written ? [`  report: ${written}`] : [])].join("\n"));
  return 0;
});

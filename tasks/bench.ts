/**
 * `deno task bench`: speed benchmarks (never run as tests). Writes `reports/bench.json`.
 *
 * With `--only`, the cases of the other suites already in `--out` are kept (each case records its suite
 * and date).
 */
import { writeFileAtomic } from "../lib/cache/atomic.ts";
import { type BackendName, useBackend } from "../lib/engine/mod.ts";
import { BENCH_SUITES, type BenchCase } from "./bench/suites.ts";
import { choiceFlag, type Cli, integerFlag, listFlag, runCli, stringFlag, UsageError } from "./_cli.ts";

/** A bench case with the suite that measured it and when. */
type SuiteCase = BenchCase & { suite: string; date: string; cpu?: string };

const SUITES = Object.keys(BENCH_SUITES);
const CLI: Cli = {
  command: "deno task bench",
  usage: ["[options]"],
  summary:
    "Speed benchmarks (never part of the tests); writes one JSON file with every suite's latest cases.",
  flags: {
    backend: {
      type: "string",
      value: "wasm|cpu|webgpu",
      default: "wasm",
      help: "tensor backend (webgpu: checked first; run the engine and attack suites on a GPU machine)",
    },
    only: { type: "string", value: SUITES.join(","), help: "suites to run [default: all]" },
    steps: { type: "string", value: "N", default: "20", help: "timed steps per engine case (at least 20)" },
    out: {
      type: "string",
      value: "FILE",
      default: "reports/bench.json",
      help: "where the results go (another backend than wasm: reports/bench-<backend>.json)",
    },
  },
};

await runCli(CLI, async (parsed, ready) => {
  const steps = integerFlag(parsed, "steps", 20) ?? 20;
  const backend: BackendName = choiceFlag(parsed, "backend", ["wasm", "cpu", "webgpu"] as const, "wasm");
  const chosen = listFlag(parsed, "only") ?? SUITES;
  const unknown = chosen.filter((suite) => !SUITES.includes(suite));
  if (unknown.length > 0) {
    throw new UsageError(
      `--only must list suites of ${SUITES.join(", ")}, current value is '${unknown.join(",")}'`,
    );
  }
  const out = stringFlag(parsed, "out") ??
    (backend === "wasm" ? "reports/bench.json" : `reports/bench-${backend}.json`);
  ready();
  const info = await useBackend(backend, { seed: 0 });
  // `--only` reruns some suites: the other suites' cases already in the file are kept, each case names its
  // suite and date, so one file holds the latest measurement of every suite.
  const previous = await readPrevious(out, info.name);
  const cases: SuiteCase[] = previous.filter((c) => !chosen.includes(c.suite));
  // Cases of earlier runs may come from another machine: each names the processor it ran on.
  const cpu = cpuModel();
  const machine = { os: Deno.build.os, arch: Deno.build.arch, cpus: navigator.hardwareConcurrency, cpu };
  for (const suite of chosen) {
    for await (const result of BENCH_SUITES[suite]!({ steps })) {
      const entry: SuiteCase = { suite, date: new Date().toISOString(), cpu, ...result };
      cases.push(entry);
      console.log(JSON.stringify(entry));
      // Written after every case, so a long suite cut short keeps what it measured.
      await writeReport(out, info, machine, steps, cases);
    }
  }
  await writeReport(out, info, machine, steps, cases);
  const fresh = cases.filter((c) => chosen.includes(c.suite)).length;
  console.log(`wrote ${out} (${fresh} new case(s), ${cases.length - fresh} kept from earlier runs)`);
  return 0;
});

/** The processor's model name (Linux `/proc/cpuinfo`), or the architecture where there is none. */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(Deno.readTextFileSync("/proc/cpuinfo"));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux.
  }
  return Deno.build.arch;
}

/** Writes the bench file (write then rename). */
async function writeReport(
  out: string,
  info: Awaited<ReturnType<typeof useBackend>>,
  machine: { os: string; arch: string; cpus: number; cpu: string },
  steps: number,
  cases: SuiteCase[],
): Promise<void> {
  const report = {
    backend: info.name,
    simd: info.simd ?? null,
    threads: 1,
    versions: info.versions,
    machine,
    date: new Date().toISOString(),
    steps,
    cases,
  };
  await writeFileAtomic(out, JSON.stringify(report, null, 2) + "\n");
}

/** The cases of an earlier bench file with the same backend, or none. */
async function readPrevious(path: string, backend: string): Promise<SuiteCase[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { backend?: string; cases?: SuiteCase[] };
    if (parsed.backend !== backend || !Array.isArray(parsed.cases)) return [];
    return parsed.cases.filter((c) => typeof c.suite === "string");
  } catch {
    console.error(`${path} is not valid JSON: starting a new bench file`);
    return [];
  }
}

/**
 * `deno task bench`: speed benchmarks (never run as tests). Writes `reports/bench.json`.
 *
 * Usage: deno task bench [--backend wasm|cpu] [--only engine,...] [--steps 20] [--out reports/bench.json]
 *
 * With `--only`, the cases of the other suites already in `--out` are kept (each case records its suite
 * and date).
 */
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../lib/cache/atomic.ts";
import { type BackendName, useBackend } from "../lib/engine/mod.ts";
import { BENCH_SUITES, type BenchCase } from "./bench/suites.ts";

/** A bench case with the suite that measured it and when. */
type SuiteCase = BenchCase & { suite: string; date: string };

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    only: { type: "string" },
    steps: { type: "string", default: "20" },
    out: { type: "string", default: "reports/bench.json" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(
    `deno task bench [--backend wasm|cpu] [--only ${
      Object.keys(BENCH_SUITES).join(",")
    }] [--steps N] [--out FILE]`,
  );
  Deno.exit(0);
}
const steps = Number(values.steps);
if (!Number.isInteger(steps) || steps < 20) {
  console.error(`Cannot run the bench: --steps must be an integer >= 20, current value is ${values.steps}`);
  Deno.exit(2);
}
const backend = values.backend as BackendName;
const info = await useBackend(backend, { seed: 0 });
const chosen = values.only ? values.only.split(",") : Object.keys(BENCH_SUITES);
const unknown = chosen.filter((suite) => !BENCH_SUITES[suite]);
if (unknown.length > 0) {
  console.error(
    `Cannot run the bench: unknown suite '${unknown.join("', '")}', known: ${
      Object.keys(BENCH_SUITES).join(", ")
    }`,
  );
  Deno.exit(2);
}
// `--only` reruns some suites: the other suites' cases already in the file are kept, each case names its
// suite and date, so one file holds the latest measurement of every suite.
const previous = await readPrevious(values.out);
const cases: SuiteCase[] = previous.filter((c) => !chosen.includes(c.suite));
for (const suite of chosen) {
  for await (const result of BENCH_SUITES[suite]!({ steps })) {
    const entry: SuiteCase = { suite, date: new Date().toISOString(), ...result };
    cases.push(entry);
    console.log(JSON.stringify(entry));
  }
}
const report = {
  backend: info.name,
  simd: info.simd ?? null,
  threads: 1,
  versions: info.versions,
  machine: { os: Deno.build.os, arch: Deno.build.arch, cpus: navigator.hardwareConcurrency },
  date: new Date().toISOString(),
  steps,
  cases,
};
await writeFileAtomic(values.out, JSON.stringify(report, null, 2) + "\n");
const fresh = cases.filter((c) => chosen.includes(c.suite)).length;
console.log(`wrote ${values.out} (${fresh} new case(s), ${cases.length - fresh} kept from earlier runs)`);

/** The cases of an earlier bench file with the same backend, or none. */
async function readPrevious(path: string): Promise<SuiteCase[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { backend?: string; cases?: SuiteCase[] };
    if (parsed.backend !== info.name || !Array.isArray(parsed.cases)) return [];
    return parsed.cases.filter((c) => typeof c.suite === "string");
  } catch {
    console.error(`${path} is not valid JSON: starting a new bench file`);
    return [];
  }
}

/**
 * `deno task bench`: speed benchmarks (never run as tests). Writes `reports/bench.json`.
 *
 * Usage: deno task bench [--backend wasm|cpu] [--only engine,...] [--steps 20] [--out reports/bench.json]
 */
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../lib/cache/atomic.ts";
import { type BackendName, useBackend } from "../lib/engine/mod.ts";
import { BENCH_SUITES, type BenchCase } from "./_bench_suites.ts";

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
const cases: BenchCase[] = [];
for (const suite of chosen) {
  const run = BENCH_SUITES[suite];
  if (!run) {
    console.error(
      `Cannot run the bench: unknown suite '${suite}', known: ${Object.keys(BENCH_SUITES).join(", ")}`,
    );
    Deno.exit(2);
  }
  for await (const result of run({ steps })) {
    cases.push(result);
    console.log(JSON.stringify(result));
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
console.log(`wrote ${values.out} (${cases.length} cases)`);

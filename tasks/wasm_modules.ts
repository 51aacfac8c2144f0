/**
 * Regenerates the compiled WebAssembly modules of lib/engine from their text sources (needs npm:wabt, a
 * dev dependency in deno.json):
 * - `_gemm.wat` → `_gemm_wasm.ts`, two builds: relaxed SIMD with fused multiply-add, and plain SIMD;
 * - `_simd.wat` → `_simd_wasm.ts`, plain SIMD.
 *
 * `tests/engine/wasm_modules_test.ts` checks that the committed builds match their sources.
 *
 * Run: `deno run -A tasks/wasm_modules.ts`
 *
 * @module
 */
import { writeFileAtomic } from "../lib/cache/atomic.ts";
import { type Cli, runCli, UsageError } from "./_cli.ts";
import { WASM_MODULES } from "./wasm_modules/builds.ts";

const CLI: Cli = {
  command: "deno run -A tasks/wasm_modules.ts",
  usage: ["[options]"],
  summary:
    "Rebuilds lib/engine's WebAssembly kernels (_gemm_wasm.ts, _simd_wasm.ts) from their .wat sources.",
  flags: {},
};

await runCli(CLI, async (parsed) => {
  if (parsed.positionals.length > 0) {
    throw new UsageError(`takes no arguments, current value is '${parsed.positionals.join(" ")}'`);
  }
  const root = new URL("../lib/engine/", import.meta.url);
  for (const module of WASM_MODULES) {
    const output = await module.render(await Deno.readTextFile(new URL(module.source, root)));
    await writeFileAtomic(new URL(module.target, root).pathname, output);
    console.log(`wrote ${module.target} (${output.length} characters)`);
  }
  return 0;
});

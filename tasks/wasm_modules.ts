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
import { WASM_MODULES } from "./wasm_modules/builds.ts";

const root = new URL("../lib/engine/", import.meta.url);
for (const module of WASM_MODULES) {
  const output = await module.render(await Deno.readTextFile(new URL(module.source, root)));
  await Deno.writeTextFile(new URL(module.target, root), output);
  console.log(`wrote ${module.target} (${output.length} characters)`);
}

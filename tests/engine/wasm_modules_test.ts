/**
 * The committed WebAssembly builds (`lib/engine/_gemm_wasm.ts`, `_simd_wasm.ts`) are what
 * `tasks/wasm_modules.ts` makes of their `.wat` sources today: an edit to a source that was not rebuilt
 * fails here.
 */
import assert from "node:assert/strict";
import { WASM_MODULES } from "../../tasks/wasm_modules/builds.ts";

const root = new URL("../../lib/engine/", import.meta.url);

for (const module of WASM_MODULES) {
  Deno.test(`${module.target} is the build of ${module.source}`, async () => {
    const expected = await module.render(await Deno.readTextFile(new URL(module.source, root)));
    const committed = await Deno.readTextFile(new URL(module.target, root));
    assert.ok(committed === expected, `${module.target} is stale: run deno run -A tasks/wasm_modules.ts`);
  });
}

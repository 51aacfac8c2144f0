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

Deno.test("tasks/wasm_modules.ts answers --help and refuses a bad flag or an argument with one line, exit 2", async () => {
  const script = new URL("../../tasks/wasm_modules.ts", import.meta.url).pathname;
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, ...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(new TextDecoder().decode(help.stdout), /Rebuilds lib\/engine's WebAssembly kernels/);
  for (const args of [["--bogus"], ["extra"]]) {
    const bad = await run(args);
    assert.equal(bad.code, 2, `${args}`);
    const lines = new TextDecoder().decode(bad.stderr).trim().split("\n");
    assert.equal(lines.length, 1, `${args}: ${lines}`);
    assert.match(lines[0] ?? "", /\(see --help\)$/);
  }
});

import assert from "node:assert/strict";
import {
  BackendUnavailableError,
  currentBackend,
  tf,
  useBackend,
  WASM_KERNEL_COMPLETIONS,
} from "../../lib/engine/mod.ts";

Deno.test("useBackend('wasm') registers every kernel completion and reports versions", async () => {
  const info = await useBackend("wasm", { seed: 5 });
  assert.equal(tf.getBackend(), "wasm");
  assert.deepEqual(info.completedKernels, Object.keys(WASM_KERNEL_COMPLETIONS));
  assert.equal(info.seed, 5);
  assert.equal(info.versions["tfjs-core"], "4.22.0");
  assert.equal(currentBackend()?.name, "wasm");
  for (const name of info.completedKernels) {
    assert.ok(tf.getKernel(name, "wasm"), `${name} is not registered`);
  }
});

Deno.test("useBackend('cpu') switches to the reference backend", async () => {
  await useBackend("cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(currentBackend()?.completedKernels.length, 0);
});

for (const name of ["tensorflow", "tensorflow-gpu"] as const) {
  Deno.test(`useBackend('${name}') without tfjs-node says why and how to install it`, async () => {
    await assert.rejects(() => useBackend(name), (error: unknown) => {
      assert.ok(error instanceof BackendUnavailableError);
      assert.equal(error.backend, name);
      assert.match(error.message, /not installed/);
      assert.match(error.message, /internet/);
      assert.match(error.message, /deno add npm:@tensorflow\/tfjs-node/);
      return true;
    });
  });
}

Deno.test("useBackend('webgpu') either runs or raises a clear BackendUnavailableError", async () => {
  // In a child process: a GPU driver's native state (Mesa llvmpipe here) stays out of the test process.
  const probe = new URL("./_webgpu_probe.ts", import.meta.url).pathname;
  const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", probe],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const line = new TextDecoder().decode(stdout).trim().split("\n").at(-1) ?? "";
  let result: { outcome: string; backend?: string; value?: number; message?: string };
  try {
    result = JSON.parse(line);
  } catch {
    throw new Error(`the webgpu probe printed no result; stderr: ${new TextDecoder().decode(stderr)}`);
  }
  if (result.outcome === "ran") {
    assert.equal(result.backend, "webgpu");
    assert.equal(result.value, 4);
  } else {
    assert.equal(result.outcome, "unavailable", result.message);
    assert.match(result.message ?? "", /webgpu/);
  }
});

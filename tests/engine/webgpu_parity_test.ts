/**
 * WebGPU against the reference cpu backend: one training step and one PGD step of the `small` and
 * `paper` presets' models (tests/engine/_backend_parity_probe.ts, one backend per child process). On a
 * machine without a WebGPU adapter the tests are skipped and say why; CI machines have Mesa's software
 * renderer (llvmpipe), where they run.
 *
 * @module
 */
import assert from "node:assert/strict";

interface ProbeResult {
  outcome: "ran" | "unavailable";
  message?: string;
  backend?: string;
  loss?: number;
  updates?: number[][];
  adversarial?: number[];
  adversarialVisual?: number[];
  finalLoss?: number[];
}

async function probe(backend: string, preset: string): Promise<ProbeResult> {
  const script = new URL("./_backend_parity_probe.ts", import.meta.url).pathname;
  const { stdout, stderr, success } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, backend, preset],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const line = new TextDecoder().decode(stdout).trim().split("\n").at(-1) ?? "";
  if (!success || !line.startsWith("{")) {
    throw new Error(`the ${backend} probe failed: ${new TextDecoder().decode(stderr).slice(-600)}`);
  }
  return JSON.parse(line);
}

const availability = await probe("webgpu", "none").catch((error) => ({
  outcome: "unavailable" as const,
  message: String(error),
}));
const unavailable = availability.outcome === "unavailable" ? availability.message ?? "no adapter" : null;
if (unavailable !== null) console.warn(`webgpu parity tests skipped: ${unavailable}`);

function close(a: number, b: number, relative: number, absolute: number): boolean {
  return Math.abs(a - b) <= absolute + relative * Math.abs(b);
}

for (const preset of ["small", "paper"]) {
  Deno.test({
    name: `webgpu matches cpu on a training step and a PGD step of the ${preset} preset's model`,
    ignore: unavailable !== null,
    fn: async () => {
      const [cpu, gpu] = [await probe("cpu", preset), await probe("webgpu", preset)];
      assert.equal(cpu.outcome, "ran");
      assert.equal(gpu.backend, "webgpu");
      assert.ok(close(gpu.loss ?? NaN, cpu.loss ?? NaN, 1e-4, 1e-5), `loss ${gpu.loss} vs ${cpu.loss}`);
      // Each variable's update within 1e-3 of its size: batch norm over few values (the last ResNet stage is
      // 1×1 here) amplifies float rounding, so components are compared relative to the variable's update,
      // plus 1e-6 (updates are read as differences of float32 weights near 1, whose ulp is 1.2e-7).
      const norm = (v: number[]) => Math.hypot(...v);
      (cpu.updates ?? []).forEach((u, k) => {
        const g = gpu.updates?.[k] ?? [];
        const gap = norm(u.map((x, i) => x - (g[i] ?? NaN)));
        assert.ok(gap <= 1e-3 * norm(u) + 1e-6, `variable ${k}: update differs by ${gap} (size ${norm(u)})`);
      });
      (cpu.finalLoss ?? []).forEach((l, i) => {
        assert.ok(
          close(gpu.finalLoss?.[i] ?? NaN, l, 1e-3, 1e-5),
          `PGD loss ${i}: ${gpu.finalLoss?.[i]} vs ${l}`,
        );
      });
      // A sign step: a component may flip only where its gradient is ~0, so nearly all must agree exactly.
      for (const key of ["adversarial", "adversarialVisual"] as const) {
        const a = cpu[key] ?? [], b = gpu[key] ?? [];
        assert.equal(a.length, b.length);
        const same = a.filter((v, i) => Math.abs(v - (b[i] ?? NaN)) < 1e-5).length;
        assert.ok(same >= 0.99 * a.length, `${key}: ${same} of ${a.length} components agree`);
      }
    },
  });
}

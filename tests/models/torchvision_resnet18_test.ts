import assert from "node:assert/strict";
import { DataFormatError } from "../../lib/data/mod.ts";
import { useBackend } from "../../lib/engine/mod.ts";
import { createModel } from "../../lib/models/mod.ts";
import {
  loadTorchvisionResnet18,
  RESNET18_PARAMETERS,
  torchvisionResnet18Names,
} from "../../lib/models/torchvision_resnet18.ts";
import { safetensorsBytes } from "./_safetensors_writer.ts";

await useBackend("cpu");

/** A torchvision-shaped state dict (OIHW kernels) with values that encode their own position. */
function stateDict(): Record<string, { shape: number[]; data: Float32Array }> {
  const model = createModel({ preset: "paper", kind: "visual", numClasses: 2 });
  const dict: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [torch, ours] of torchvisionResnet18Names()) {
    const shape = model.variables.get(ours)!.shape;
    const torchShape = shape.length === 4 ? [shape[3]!, shape[2]!, shape[0]!, shape[1]!] : shape;
    const size = torchShape.reduce((a, b) => a * b, 1);
    dict[torch] = {
      shape: torchShape,
      data: Float32Array.from({ length: size }, (_, i) => (i % 1000) / 1000 + 1),
    };
  }
  dict["fc.weight"] = { shape: [1000, 512], data: new Float32Array(512_000) };
  dict["bn1.num_batches_tracked"] = { shape: [], data: Float32Array.of(0) };
  model.dispose();
  return dict;
}

async function write(dict: ReturnType<typeof stateDict>): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  await Deno.writeFile(path, safetensorsBytes(dict));
  return path;
}

Deno.test("loadTorchvisionResnet18() maps every tensor, transposes kernels OIHW → HWIO and returns the hash", async () => {
  const dict = stateDict();
  const path = await write(dict);
  const model = createModel({ preset: "paper", kind: "visual", numClasses: 2 });
  const hash = await loadTorchvisionResnet18(model, path);
  assert.match(hash, /^[0-9a-f]{64}$/);
  // conv1: torch [64, 3, 7, 7] at (o=5, i=2, y=3, x=1) is ours [7, 7, 3, 64] at (3, 1, 2, 5).
  const kernel = await model.variables.get("visual/stem/conv/kernel")!.array() as number[][][][];
  const torch = dict["conv1.weight"]!.data[((5 * 3 + 2) * 7 + 3) * 7 + 1];
  assert.equal(kernel[3]![1]![2]![5], torch);
  const mean = await model.variables.get("visual/stage3/block0/shortcut/norm/runningMean")!.data();
  assert.deepEqual(Array.from(mean), Array.from(dict["layer4.0.downsample.1.running_mean"]!.data));
  let params = 0;
  for (const [, ours] of torchvisionResnet18Names()) {
    if (!/running/.test(ours)) params += model.variables.get(ours)!.size;
  }
  assert.equal(params, RESNET18_PARAMETERS);
  model.dispose();
  await Deno.remove(path);
});

Deno.test("loadTorchvisionResnet18() refuses a missing key, a wrong shape and a non-ResNet-18 model", async () => {
  const model = createModel({ preset: "paper", kind: "visual", numClasses: 2 });
  const { ["layer3.1.bn2.weight"]: _, ...missing } = stateDict();
  const noKey = await write(missing);
  await assert.rejects(
    () => loadTorchvisionResnet18(model, noKey),
    (e: unknown) =>
      e instanceof DataFormatError && /the file has no 'layer3\.1\.bn2\.weight'/.test(e.message),
  );
  const shaped = stateDict();
  shaped["layer1.0.conv1.weight"] = { shape: [64, 64, 1, 9], data: new Float32Array(64 * 64 * 9) };
  const badShape = await write(shaped);
  await assert.rejects(
    () => loadTorchvisionResnet18(model, badShape),
    (e: unknown) =>
      e instanceof DataFormatError &&
      /'layer1\.0\.conv1\.weight' has shape \[64,64,1,9\], the model needs \[64,64,3,3\]/.test(e.message),
  );
  const small = createModel({ kind: "visual", numClasses: 2 });
  await assert.rejects(() => loadTorchvisionResnet18(small, noKey), /not ResNet-18 .*use the paper preset/);
  await assert.rejects(
    () => loadTorchvisionResnet18(model, "/nonexistent.safetensors"),
    /Cannot read the weights/,
  );
  for (const path of [noKey, badShape]) await Deno.remove(path);
  model.dispose();
  small.dispose();
});

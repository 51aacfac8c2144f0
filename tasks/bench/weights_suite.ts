/**
 * The `weights` bench suite: ResNet-18 imported from torchvision weights against torchvision itself.
 *
 * @module
 */
import { tf } from "../../lib/engine/mod.ts";
import { createModel, loadTorchvisionResnet18 } from "../../lib/models/mod.ts";
import type { BenchCase } from "./suites.ts";
import { torchPython } from "./torch_python.ts";

/**
 * The imported ResNet-18 against torchvision: random-initialised `resnet18` weights (batch-norm statistics
 * perturbed) and two random frames from `resnet18_reference.py`, imported with `loadTorchvisionResnet18` into
 * the paper preset's visual encoder; the largest difference of the 512-d features (absolute and relative to
 * the largest feature). Skipped, saying so, where python3-torch is not installed.
 */
export async function* weightsSuite(): AsyncGenerator<BenchCase> {
  const python = await torchPython("torch, torchvision");
  if (python === null) {
    console.error(
      "weights: skipped (no python3 with torch and torchvision; apt-get install python3-torchvision)",
    );
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "avrobust-resnet18-" });
  const script = new URL("./resnet18_reference.py", import.meta.url).pathname;
  const made = await new Deno.Command(python, { args: [script, dir], stderr: "piped", stdout: "null" })
    .output();
  if (!made.success) {
    throw new Error(`Cannot make the torchvision reference: ${new TextDecoder().decode(made.stderr)}`);
  }
  const model = createModel({ preset: "paper", kind: "visual", numClasses: 2 });
  await loadTorchvisionResnet18(model, `${dir}/resnet18.safetensors`);
  const frames = new Float32Array((await Deno.readFile(`${dir}/frames.f32`)).buffer);
  const reference = new Float32Array((await Deno.readFile(`${dir}/features.f32`)).buffer);
  const input = tf.tensor4d(frames, [2, 224, 224, 3]);
  const start = performance.now();
  const encoded = model.encode!("visual", input);
  const ours = await encoded.features.data();
  const ms = performance.now() - start;
  let diff = 0, largest = 0;
  ours.forEach((value, i) => {
    diff = Math.max(diff, Math.abs(value - (reference[i] as number)));
    largest = Math.max(largest, Math.abs(reference[i] as number));
  });
  tf.dispose([input, encoded.features, ...(encoded.map ? [encoded.map] : [])]);
  model.dispose();
  await Deno.remove(dir, { recursive: true });
  yield {
    model: "resnet18 (torchvision weights)",
    step: "features-vs-torchvision",
    ms,
    features: ours.length,
    maxAbsDifference: diff,
    maxRelativeDifference: diff / largest,
  };
}

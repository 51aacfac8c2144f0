/**
 * ImageNet-pretrained weights for the visual encoder: torchvision's `resnet18` state dict, saved by the
 * user as safetensors, mapped one to one onto the paper preset's ResNet-18 (nothing is downloaded).
 *
 * @module
 */
import { sha256Hex } from "../cache/mod.ts";
import { DataFormatError } from "../data/errors.ts";
import { tf } from "../engine/tf.ts";
import { readSafetensors, type SafeTensor } from "./safetensors.ts";
import type { AvModel } from "./types.ts";

/** Parameters of torchvision's `resnet18` without `fc` (weights and batch-norm scales and shifts). */
export const RESNET18_PARAMETERS = 11_176_512;

const NORM_FIELDS = [["weight", "gamma"], ["bias", "beta"], ["running_mean", "runningMean"], [
  "running_var",
  "runningVar",
]] as const;

/**
 * The project's visual parameter name of every torchvision `resnet18` tensor (without `fc` and the
 * `num_batches_tracked` counters): `conv1.weight` → `visual/stem/conv/kernel`, `layer2.0.downsample.1.weight`
 * → `visual/stage1/block0/shortcut/norm/gamma`, ….
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const names = torchvisionResnet18Names();
 * assert.equal(names.get("layer2.0.downsample.0.weight"), "visual/stage1/block0/shortcut/conv/kernel");
 * assert.equal(names.size, 1 + 4 + 4 * 2 * 2 * 5 + 3 * 5);
 * ```
 */
export function torchvisionResnet18Names(): Map<string, string> {
  const names = new Map<string, string>();
  const norm = (torch: string, ours: string) => {
    for (const [field, name] of NORM_FIELDS) names.set(`${torch}.${field}`, `visual/${ours}/${name}`);
  };
  names.set("conv1.weight", "visual/stem/conv/kernel");
  norm("bn1", "stem/norm");
  for (let layer = 1; layer <= 4; layer++) {
    for (let block = 0; block < 2; block++) {
      const torch = `layer${layer}.${block}`, ours = `stage${layer - 1}/block${block}`;
      names.set(`${torch}.conv1.weight`, `visual/${ours}/conv1/kernel`);
      norm(`${torch}.bn1`, `${ours}/norm1`);
      names.set(`${torch}.conv2.weight`, `visual/${ours}/conv2/kernel`);
      norm(`${torch}.bn2`, `${ours}/norm2`);
      if (block === 0 && layer > 1) {
        names.set(`${torch}.downsample.0.weight`, `visual/${ours}/shortcut/conv/kernel`);
        norm(`${torch}.downsample.1`, `${ours}/shortcut/norm`);
      }
    }
  }
  return names;
}

/** PyTorch's conv kernel `[out, in, kh, kw]` as TensorFlow's `[kh, kw, in, out]`. */
function oihwToHwio(tensor: SafeTensor): Float32Array {
  const [o, i, h, w] = tensor.shape as [number, number, number, number];
  const out = new Float32Array(tensor.data.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < i; b++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          out[((y * w + x) * i + b) * o + a] = tensor.data[((a * i + b) * h + y) * w + x]!;
        }
      }
    }
  }
  return out;
}

/**
 * Loads torchvision `resnet18` weights (a safetensors file of its state dict) into a model's visual
 * encoder: every tensor name is mapped, conv kernels are transposed OIHW → HWIO, every shape is checked
 * against the model's, and the parameter count must be torchvision's (11,176,512 without `fc`). `fc` and
 * `num_batches_tracked` are ignored. The model's other parameters are untouched.
 *
 * @param model A model whose visual encoder has ResNet-18's layout (the `paper` preset).
 * @param path The safetensors file (in Python: `safetensors.torch.save_file(resnet18(weights=...).state_dict(), path)`).
 * @returns The SHA-256 of the file, for the provenance.
 * @throws {DataFormatError} Naming the file: unreadable, not safetensors, a missing tensor, a wrong shape or
 *   dtype, or the wrong parameter count.
 * @throws {TypeError} If the model's visual encoder does not have ResNet-18's parameters.
 *
 * @example
 * ```ts ignore
 * const model = createModel({ preset: "paper", kind: "av", fusion: "concat", numClasses: 28, ... });
 * const hash = await loadTorchvisionResnet18(model, "resnet18.safetensors");
 * ```
 */
export async function loadTorchvisionResnet18(model: AvModel, path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new DataFormatError(path, `Cannot read the weights: ${(error as Error).message}`, { cause: error });
  }
  const tensors = readSafetensors(bytes, path);
  const names = torchvisionResnet18Names();
  const missingHere = [...names.values()].filter((ours) => !model.variables.has(ours));
  if (missingHere.length > 0) {
    throw new TypeError(
      `Cannot load ResNet-18 weights: the model's visual encoder is not ResNet-18 (no '${missingHere[0]}'; ` +
        `use the paper preset)`,
    );
  }
  const values = new Map<string, Float32Array>();
  let count = 0;
  for (const [torch, ours] of names) {
    const tensor = tensors.get(torch);
    if (!tensor) throw new DataFormatError(path, `Cannot load ResNet-18 weights: the file has no '${torch}'`);
    const variable = model.variables.get(ours) as tf.Variable;
    const expected = tensor.shape.length === 4
      ? [tensor.shape[2], tensor.shape[3], tensor.shape[1], tensor.shape[0]]
      : tensor.shape;
    if (expected.join("x") !== variable.shape.join("x")) {
      throw new DataFormatError(
        path,
        `Cannot load ResNet-18 weights: '${torch}' has shape [${tensor.shape}], the model needs ` +
          `[${
            tensor.shape.length === 4
              ? [variable.shape[3], variable.shape[2], variable.shape[0], variable.shape[1]]
              : variable.shape
          }]`,
      );
    }
    values.set(ours, tensor.shape.length === 4 ? oihwToHwio(tensor) : tensor.data);
    if (!/running(Mean|Var)$/.test(ours)) count += tensor.data.length;
  }
  if (count !== RESNET18_PARAMETERS) {
    throw new DataFormatError(
      path,
      `Cannot load ResNet-18 weights: ${count} parameters, torchvision's resnet18 has ${RESNET18_PARAMETERS}`,
    );
  }
  for (const [ours, data] of values) {
    const variable = model.variables.get(ours) as tf.Variable;
    tf.tidy(() => variable.assign(tf.tensor(data, variable.shape, "float32")));
  }
  return await sha256Hex(bytes);
}

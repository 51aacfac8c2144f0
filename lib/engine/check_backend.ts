/**
 * Checks a backend before a study starts: it loads, it computes float32 correctly, and (webgpu) its
 * adapter's limits.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { type BackendName, BackendUnavailableError, useBackend } from "./backend.ts";

/** What {@linkcode checkBackend} found. */
export interface BackendCheck {
  name: BackendName;
  /** One line for logs, e.g. `webgpu: adapter llvmpipe, max buffer 2048 MiB, max storage binding 128 MiB`. */
  summary: string;
  /** webgpu: the adapter's largest buffer and storage binding in bytes (a tensor must fit one binding). */
  limits?: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

interface Adapter {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

/** A float32 matrix product whose exact result is known: a backend that gets it wrong is refused. */
async function float32Works(): Promise<string | undefined> {
  const a = tf.tensor2d([1.5, -2, 0.25, 3, 1e-3, 7], [2, 3]);
  const b = tf.tensor2d([2, 1, -1, 0.5, 4, -8], [3, 2]);
  const product = tf.matMul(a, b);
  const got = Array.from(await product.data());
  tf.dispose([a, b, product]);
  const want = [6, -1.5, 33.999, -52.9995];
  const wrong = got.findIndex((v, i) => !(Math.abs(v - (want[i] as number)) < 1e-4));
  return wrong < 0
    ? undefined
    : `a float32 matrix product came out [${got.join(", ")}], expected [${want.join(", ")}]`;
}

/**
 * Loads `name` (as {@linkcode useBackend}) and checks it before any work: a float32 matrix product must be
 * exact; on webgpu the adapter's buffer limits are read and reported (the largest tensor must fit one
 * storage binding). Tasks call it before the pipeline starts, so a missing package or adapter is reported
 * in the first second, not once training starts.
 *
 * @param name The backend.
 * @returns What was found.
 * @throws {BackendUnavailableError} If the backend cannot load or computes wrongly; the message says what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const check = await checkBackend("cpu");
 * assert.equal(check.name, "cpu");
 * ```
 */
export async function checkBackend(name: BackendName): Promise<BackendCheck> {
  await useBackend(name);
  const problem = await float32Works();
  if (problem !== undefined) {
    throw new BackendUnavailableError(name, `Cannot use backend '${name}': ${problem}; use 'wasm' instead`);
  }
  if (name !== "webgpu") return { name, summary: `${name}: float32 checked` };
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<Adapter | null> } } | undefined)
    ?.gpu;
  const adapter = gpu ? await gpu.requestAdapter() : null;
  if (!adapter) {
    throw new BackendUnavailableError(name, "Cannot use backend 'webgpu': the WebGPU adapter went away");
  }
  const { maxBufferSize, maxStorageBufferBindingSize } = adapter.limits;
  const info = adapter.info ?? {};
  const label = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") ||
    "unnamed";
  const mib = (bytes: number) => `${Math.floor(bytes / 2 ** 20)} MiB`;
  return {
    name,
    summary: `webgpu: adapter ${label}, float32 checked, max buffer ${mib(maxBufferSize)}, max storage ` +
      `binding ${mib(maxStorageBufferBindingSize)}`,
    limits: { maxBufferSize, maxStorageBufferBindingSize },
  };
}

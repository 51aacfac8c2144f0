/**
 * Chooses and initialises the TensorFlow.js backend.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { registerWasmKernels } from "./wasm_kernels.ts";

/** Backends avrobust can run on. `wasm` is the default, `cpu` the reference. */
export type BackendName = "wasm" | "cpu" | "webgpu" | "tensorflow" | "tensorflow-gpu";

/** Options of {@linkcode useBackend}. */
export interface UseBackendOptions {
  /**
   * Seed recorded as the session's default; units that take no explicit seed derive theirs from it.
   * @default 0
   */
  seed?: number;
  /**
   * wasm only: use the SIMD build. Turning it off is about 2x slower; useful only to compare.
   * @default true
   */
  simd?: boolean;
}

/** What {@linkcode useBackend} set up. */
export interface BackendInfo {
  /** The backend now active. */
  name: BackendName;
  /** The seed recorded as default. */
  seed: number;
  /** Versions of TensorFlow.js and Deno. */
  versions: Record<string, string>;
  /** wasm only: SIMD on or off. */
  simd?: boolean;
  /** Kernels completed or replaced by the project on this backend. */
  completedKernels: string[];
}

/** Raised when a backend cannot be loaded; the message says why and what to do. */
export class BackendUnavailableError extends Error {
  /** The backend that was asked for. */
  readonly backend: BackendName;
  constructor(backend: BackendName, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BackendUnavailableError";
    this.backend = backend;
  }
}

let current: BackendInfo | undefined;

/** The info of the backend chosen last by {@linkcode useBackend}, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

function wasmDistPath(): string {
  const url = new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url);
  if (url.protocol === "file:") return url.pathname;
  return `${Deno.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`;
}

/**
 * Leaves TensorFlow.js ready on the named backend. `wasm` (SIMD, one thread) registers the project's
 * kernel completions; `cpu` is the reference; `webgpu` needs an adapter; `tensorflow`/`tensorflow-gpu`
 * need `@tensorflow/tfjs-node(-gpu)` installed by the user.
 *
 * @param name The backend.
 * @param options Seed and wasm options.
 * @returns What was set up.
 * @throws {BackendUnavailableError} If the backend cannot be loaded here, with the reason and the fix.
 *
 * @example The reference backend
 * ```ts
 * import assert from "node:assert/strict";
 * const info = await useBackend("cpu", { seed: 1 });
 * assert.equal(info.name, "cpu");
 * ```
 */
export async function useBackend(
  name: BackendName = "wasm",
  options: UseBackendOptions = {},
): Promise<BackendInfo> {
  const { seed = 0, simd = true } = options;
  tf.env().set("PROD", true); // silences the cpu backend's tfjs-node banner
  const versions: Record<string, string> = { "tfjs-core": tf.version_core, deno: Deno.version.deno };
  let completedKernels: string[] = [];
  if (name === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    completedKernels = registerWasmKernels();
    if (tf.findBackend("wasm") === null || current?.simd !== simd) {
      tf.env().set("WASM_HAS_SIMD_SUPPORT", simd);
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    }
    wasm.setWasmPaths(wasmDistPath());
    versions["tfjs-backend-wasm"] = wasm.version_wasm;
  } else if (name === "webgpu") {
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    if (!adapter) {
      throw new BackendUnavailableError(
        name,
        "Cannot use backend 'webgpu': no WebGPU adapter is available on this machine; use 'wasm' instead",
      );
    }
    await import("@tensorflow/tfjs-backend-webgpu");
    versions["tfjs-backend-webgpu"] = "4.22.0"; // pinned in deno.json; the package exports no version
  } else if (name === "tensorflow" || name === "tensorflow-gpu") {
    const pkg = name === "tensorflow" ? "@tensorflow/tfjs-node" : "@tensorflow/tfjs-node-gpu";
    const howTo =
      `It downloads libtensorflow when it is installed, which needs internet access: on a connected ` +
      `machine run 'deno add npm:${pkg}@4.22.0 && deno install --allow-scripts=npm:${pkg}', ` +
      `or use the default 'wasm' backend`;
    if (!installed(pkg)) {
      throw new BackendUnavailableError(
        name,
        `Cannot use backend '${name}': ${pkg} is not installed. ${howTo}`,
      );
    }
    try {
      await import(pkg);
    } catch (cause) {
      throw new BackendUnavailableError(
        name,
        `Cannot use backend '${name}': ${pkg} failed to load (${firstLine(cause)}). ${howTo}`,
        { cause },
      );
    }
  }
  const ok = await tf.setBackend(name === "tensorflow-gpu" ? "tensorflow" : name);
  if (!ok) {
    throw new BackendUnavailableError(name, `Cannot use backend '${name}': it failed to initialise`);
  }
  await tf.ready();
  current = { name, seed, versions, completedKernels, ...(name === "wasm" ? { simd } : {}) };
  return current;
}

function installed(pkg: string): boolean {
  const url = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url);
  try {
    return url.protocol === "file:" && Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0] ?? "unknown error";
}

/**
 * Instantiates the project's own WebAssembly modules (`_gemm.wat`, `_simd.wat`) on the wasm backend's
 * memory, so that they work on tensors where they lie.
 *
 * @module
 */

/** The wasm backend's memory, if this build exposes it. */
export function backendMemory(backend: unknown): WebAssembly.Memory | undefined {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

function decode(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Exports of the first of `builds` (base64 binaries, best first) that this engine can compile, bound to
 * `memory` and cached per memory and first build; `undefined` when it compiles none (no SIMD).
 */
export function instanceOn(
  memory: WebAssembly.Memory,
  builds: readonly string[],
): WebAssembly.Exports | undefined {
  let byBuild = cache.get(memory);
  if (!byBuild) cache.set(memory, byBuild = new Map());
  const key = builds[0] ?? "";
  if (!byBuild.has(key)) {
    let found: WebAssembly.Exports | null = null;
    for (const code of builds) {
      try {
        const module = new WebAssembly.Module(decode(code) as BufferSource);
        found = new WebAssembly.Instance(module, { env: { memory } }).exports;
        break;
      } catch {
        // this engine lacks (relaxed) SIMD: try the next build
      }
    }
    byBuild.set(key, found);
  }
  return byBuild.get(key) ?? undefined;
}

const cache = new WeakMap<WebAssembly.Memory, Map<string, WebAssembly.Exports | null>>();

/**
 * The project's Jupyter kernelspec for the Deno kernel.
 *
 * @module
 */
import { writeFileAtomic } from "../../cache/atomic.ts";

/** Name of the kernel the notebooks ask for (`metadata.kernelspec.name`). */
export const KERNEL_NAME = "avrobust-deno";

/**
 * Writes `<dir>/kernels/avrobust-deno/kernel.json` for the Deno binary at `denoPath`, so that
 * `JUPYTER_PATH=<dir>` makes Jupyter start `<denoPath> jupyter --kernel --conn <file>` with `NO_COLOR=1`
 * (no ANSI colours in text outputs). Use the absolute path of the running Deno (`Deno.execPath()`), since
 * the binary lives in different places on different machines.
 *
 * @param dir The folder to put on `JUPYTER_PATH`.
 * @param denoPath The Deno executable.
 * @returns The path of the kernel.json written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const path = await writeKernelspec(dir, Deno.execPath());
 * const spec = JSON.parse(await Deno.readTextFile(path));
 * assert.deepEqual(spec.argv, [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"]);
 * ```
 */
export async function writeKernelspec(dir: string, denoPath: string): Promise<string> {
  const path = `${dir}/kernels/${KERNEL_NAME}/kernel.json`;
  const spec = {
    argv: [denoPath, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "avrobust (Deno)",
    language: "typescript",
    env: { NO_COLOR: "1" },
  };
  await writeFileAtomic(path, JSON.stringify(spec, null, 2) + "\n");
  return path;
}

/**
 * The project's Jupyter kernelspec for the Deno kernel.
 *
 * @module
 */
import { writeFileAtomic } from "../../cache/atomic.ts";

/** Name of the kernel the notebooks ask for (`metadata.kernelspec.name`). */
export const KERNEL_NAME = "avrobust-deno";

/**
 * The project's Deno through npx, the one way the README installs it: the committed kernelspec
 * (`notebooks/kernels/avrobust-deno/kernel.json`) starts the kernel with it, so
 * `JUPYTER_PATH=notebooks jupyter lab` works on a machine that has only Node.js.
 */
export const NPX_DENO: readonly string[] = ["npx", "-y", "deno@2.9.6"];

/**
 * Writes `<dir>/kernels/avrobust-deno/kernel.json`, so that `JUPYTER_PATH=<dir>` makes Jupyter start
 * `<deno…> jupyter --kernel --conn <file>` with `NO_COLOR=1` (no ANSI colours in text outputs). `deno` is
 * the command that runs Deno: the absolute path of the running one (`Deno.execPath()`, which also works
 * when that Deno came from npx: it is the binary in npx's cache) starts fastest; {@linkcode NPX_DENO}
 * works wherever Node.js does, as in the committed kernelspec.
 *
 * @param dir The folder to put on `JUPYTER_PATH`.
 * @param deno The Deno executable, or a command that runs Deno (e.g. {@linkcode NPX_DENO}).
 * @returns The path of the kernel.json written.
 * @throws {Deno.errors.NotFound} If `deno` is a path (contains a slash) with no file there.
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
export async function writeKernelspec(dir: string, deno: string | readonly string[]): Promise<string> {
  const command = typeof deno === "string" ? [deno] : [...deno];
  const program = command[0] ?? "";
  if (program.includes("/")) await Deno.stat(program);
  const path = `${dir}/kernels/${KERNEL_NAME}/kernel.json`;
  const spec = {
    argv: [...command, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "avrobust (Deno)",
    language: "typescript",
    env: { NO_COLOR: "1" },
  };
  await writeFileAtomic(path, JSON.stringify(spec, null, 2) + "\n");
  return path;
}

/**
 * Headless notebook execution with Debian's `jupyter-nbconvert`.
 *
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { KERNEL_NAME } from "./kernelspec.ts";

/** The command that installs what {@linkcode executeNotebook} needs on Debian. */
export const NBCONVERT_INSTALL_COMMAND = "apt-get install -y --no-install-recommends jupyter-nbconvert";

/** Options of {@linkcode executeNotebook}. */
export interface ExecuteNotebookOptions {
  /** Folder of the executed copy (created). */
  outDir: string;
  /** Folders put on `JUPYTER_PATH` (the generated kernelspec first). */
  jupyterPath: readonly string[];
  /** Extra environment variables for the kernel (the notebook's parameters). @default {} */
  env?: Record<string, string>;
  /** Seconds one cell may run. @default 1800 */
  cellTimeout?: number;
  /** The nbconvert executable. @default "jupyter-nbconvert" */
  nbconvert?: string;
  /** Also export the executed copy to HTML beside it (`nbconvert --to html`). @default true */
  html?: boolean;
  /**
   * Seconds to keep reading a cell's outputs after the kernel reported it idle (the Deno kernel sometimes
   * sends outputs just after; see `notebooks/_nbconvert/avrobust_execute.py`). @default 0.5
   */
  lateOutputGrace?: number;
}

function preprocessorFolder(): string {
  return decodeURIComponent(new URL("../../../notebooks/_nbconvert", import.meta.url).pathname);
}

/** What {@linkcode executeNotebook} did. */
export interface ExecutedNotebook {
  /** The executed copy. */
  path: string;
  /** Its HTML export, where `options.html` asked for one. */
  html?: string;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Raised when a notebook cell fails; `output` holds nbconvert's report (the failing cell and error). */
export class NotebookError extends Error {
  /** The notebook. */
  readonly notebook: string;
  /** nbconvert's stderr. */
  readonly output: string;
  constructor(notebook: string, message: string, output: string) {
    super(message);
    this.name = "NotebookError";
    this.notebook = notebook;
    this.output = output;
  }
}

/**
 * Executes a notebook headless with `jupyter-nbconvert --to notebook` on the project's kernel
 * ({@linkcode KERNEL_NAME}) with `NO_COLOR=1`, in the notebook's own folder (so `../lib/…` imports resolve),
 * and writes the executed copy to `outDir`, with its HTML export beside it unless `html` is false. Any
 * cell error fails the run. Execution uses nbconvert's
 * ExecutePreprocessor through a small subclass (`notebooks/_nbconvert/avrobust_execute.py`) that keeps
 * reading a cell's outputs for `lateOutputGrace` seconds after the kernel reports it idle: the Deno
 * kernel sometimes publishes outputs just after that, and plain nbconvert then drops them.
 *
 * @param notebook Path of the `.ipynb`.
 * @param options Output folder, kernelspec path, parameters, timeout.
 * @returns The executed copy and the time taken.
 * @throws {NotebookError} If a cell fails or nbconvert exits non-zero (with its output).
 * @throws {Deno.errors.NotFound} If nbconvert is not installed ({@linkcode NBCONVERT_INSTALL_COMMAND}).
 *
 * @example
 * ```ts ignore
 * await executeNotebook("notebooks/01-data.ipynb", { outDir: "reports/smoke/notebooks", jupyterPath: [".cache/jupyter"] });
 * ```
 */
export async function executeNotebook(
  notebook: string,
  options: ExecuteNotebookOptions,
): Promise<ExecutedNotebook> {
  const { outDir, jupyterPath, env = {}, cellTimeout = 1800, nbconvert = "jupyter-nbconvert" } = options;
  const { lateOutputGrace = 0.5, html = true } = options;
  const started = performance.now();
  const absolute = resolve(notebook);
  await Deno.mkdir(outDir, { recursive: true });
  const output = await new Deno.Command(nbconvert, {
    args: [
      "--to",
      "notebook",
      absolute,
      "--output-dir",
      resolve(outDir),
      // nbconvert's ExecutePreprocessor, patched to wait for outputs sent just after a cell's idle status.
      '--NotebookExporter.preprocessors=["avrobust_execute.GracefulExecutePreprocessor"]',
      "--GracefulExecutePreprocessor.enabled=True",
      `--GracefulExecutePreprocessor.late_output_grace=${lateOutputGrace}`,
      `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
      `--ExecutePreprocessor.timeout=${cellTimeout}`,
    ],
    cwd: dirname(absolute),
    env: {
      ...env,
      JUPYTER_PATH: jupyterPath.map((p) => resolve(p)).join(":"),
      PYTHONPATH: [preprocessorFolder(), Deno.env.get("PYTHONPATH") ?? ""].filter((p) => p !== "").join(":"),
      PYTHONDONTWRITEBYTECODE: "1",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    const reason = stderr.includes("CellExecutionError")
      ? "a cell raised an error"
      : `nbconvert exited with ${output.code}`;
    throw new NotebookError(absolute, `Cannot execute notebook: ${reason}: ${absolute}`, stderr);
  }
  const path = `${resolve(outDir)}/${basename(absolute)}`;
  if (!html) return { path, seconds: (performance.now() - started) / 1000 };
  // The HTML export reads the executed copy only (no kernel); the charts survive as <img> data.
  const exported = await new Deno.Command(nbconvert, {
    args: ["--to", "html", path, "--output-dir", resolve(outDir)],
    env: { PYTHONDONTWRITEBYTECODE: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!exported.success) {
    const output = new TextDecoder().decode(exported.stderr);
    throw new NotebookError(
      absolute,
      `Cannot export notebook to HTML: nbconvert exited with ${exported.code}: ${path}`,
      output,
    );
  }
  return {
    path,
    html: path.replace(/\.ipynb$/, ".html"),
    seconds: (performance.now() - started) / 1000,
  };
}

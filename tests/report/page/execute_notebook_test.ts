import assert from "node:assert/strict";
import {
  executeNotebook,
  NBCONVERT_INSTALL_COMMAND,
  NotebookError,
} from "../../../lib/report/page/execute_notebook.ts";
import { NPX_DENO, writeKernelspec } from "../../../lib/report/page/kernelspec.ts";

function notebook(...cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source) => ({
      cell_type: "code",
      execution_count: null,
      metadata: {},
      outputs: [],
      source,
    })),
    metadata: {
      kernelspec: { display_name: "avrobust (Deno)", language: "typescript", name: "avrobust-deno" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

async function setup(...cells: string[]): Promise<{ dir: string; path: string; kernels: string }> {
  const dir = await Deno.makeTempDir({ prefix: "avrobust-nb-" });
  const kernels = `${dir}/jupyter`;
  await writeKernelspec(kernels, Deno.execPath());
  const path = `${dir}/test.ipynb`;
  await Deno.writeTextFile(path, notebook(...cells));
  return { dir, path, kernels };
}

async function requireNbconvert(): Promise<void> {
  try {
    await new Deno.Command("jupyter-nbconvert", { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
  } catch {
    assert.fail(`jupyter-nbconvert is not installed; install it with: ${NBCONVERT_INSTALL_COMMAND}`);
  }
}

Deno.test("executeNotebook() runs cells on the Deno kernel with parameters from the environment", async () => {
  await requireNbconvert();
  // The first cell has no output: a kernel's very first message can be missed by nbconvert.
  const { dir, path, kernels } = await setup(
    'const eps = Number(Deno.env.get("NB_EPS"));',
    "({ eps, cwd: Deno.cwd() });",
  );
  const done = await executeNotebook(path, {
    outDir: `${dir}/out`,
    jupyterPath: [kernels],
    env: { NB_EPS: "0.5" },
  });
  const executed = JSON.parse(await Deno.readTextFile(done.path));
  const text = executed.cells[1].outputs.map((o: { data?: Record<string, string[] | string> }) =>
    [o.data?.["text/plain"] ?? ""].flat().join("")
  ).join("");
  assert.match(text, /eps: 0\.5/);
  assert.ok(text.includes(dir), "the cell runs in the notebook's folder");
  assert.ok(!text.includes("\u001b["), "no ANSI colour codes");
  assert.equal(done.html, `${dir}/out/test.html`);
  assert.match(await Deno.readTextFile(done.html ?? ""), /eps: 0\.5/, "the HTML export holds the outputs");
});

Deno.test("executeNotebook() fails with NotebookError when a cell throws", async () => {
  await requireNbconvert();
  const { dir, path, kernels } = await setup("1 + 1", 'throw new Error("boom in a cell");');
  await assert.rejects(executeNotebook(path, { outDir: `${dir}/out`, jupyterPath: [kernels] }), (error) => {
    assert.ok(error instanceof NotebookError);
    assert.match(error.message, /a cell raised an error/);
    assert.match(error.output, /boom in a cell/);
    return true;
  });
});

const NOTEBOOKS = new URL("../../../notebooks/", import.meta.url).pathname;

Deno.test("the committed kernelspec starts the kernel through npx, as writeKernelspec(dir, NPX_DENO) writes it", async () => {
  const dir = await Deno.makeTempDir();
  const written = await Deno.readTextFile(await writeKernelspec(dir, NPX_DENO));
  assert.equal(await Deno.readTextFile(`${NOTEBOOKS}kernels/avrobust-deno/kernel.json`), written);
  assert.deepEqual(JSON.parse(written).argv.slice(0, 3), ["npx", "-y", "deno@2.9.6"]);
  await assert.rejects(writeKernelspec(dir, "/no/such/deno"), Deno.errors.NotFound);
});

Deno.test("executeNotebook() runs a notebook on the committed (npx) kernelspec", async () => {
  await requireNbconvert();
  const npx = await new Deno.Command("npx", { args: ["--version"], stdout: "null", stderr: "null" }).output()
    .catch(() => null);
  assert.ok(
    npx?.success,
    "npx is not installed: the committed kernelspec starts Deno with npx -y deno@2.9.6",
  );
  const { dir, path } = await setup("const x = 40;", "x + 2;");
  const done = await executeNotebook(path, { outDir: `${dir}/out`, jupyterPath: [NOTEBOOKS] });
  const executed = JSON.parse(await Deno.readTextFile(done.path));
  assert.match(JSON.stringify(executed.cells[1].outputs), /42/);
});

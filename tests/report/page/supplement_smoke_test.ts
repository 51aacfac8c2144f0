/**
 * End to end: `deno task report --profile smoke` twice (the second run all from the cache), then
 * `deno task notebooks` on the same cache, then the page in headless Chromium (its example WAVs decoding).
 */
import assert from "node:assert/strict";
import type { StageSummary } from "../../../lib/report/types.ts";
import {
  ALLOW_MISSING_CHROMIUM,
  findChromium,
  MISSING_CHROMIUM,
  openInChromium,
  probeAudio,
} from "../_chromium.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

async function task(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("the smoke supplement runs end to end, reruns from the cache, and its notebooks execute", async (t) => {
  const work = await Deno.makeTempDir({ prefix: "avrobust-smoke-" });
  const flags = ["--profile", "smoke", "--out", `${work}/reports`, "--cache-dir", `${work}/cache`];
  const dir = `${work}/reports/smoke`;

  await t.step("the first run computes every stage and writes the report", async () => {
    const run = await task("tasks/report.ts", flags);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ran: data, train, attack, localize, defense; from cache: nothing/);
    assert.match(run.stdout, /total: [\d.]+ s/);
    for (
      const file of [
        "index.html",
        "results.json",
        "results.csv",
        "provenance.json",
        "charts/accuracy_epsilon.vl.json",
        "charts/defense_epsilon.vl.json",
        "examples/index.html",
        "examples/index.json",
      ]
    ) {
      assert.ok((await Deno.stat(`${dir}/${file}`)).isFile, file);
    }
    const { records, localization, defense } = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
    assert.ok(localization.length > 0, "results.json holds the localization rows");
    assert.ok(defense.length > 0, "results.json holds the defense rows");
    const models = new Set(records.map((r: { model: string }) => r.model));
    assert.deepEqual(models, new Set(["audio", "visual", "av-concat", "av-sum"]));
    assert.ok(records.some((r: { study: string }) => r.study === "grid"));
    const html = await Deno.readTextFile(`${dir}/index.html`);
    assert.match(html, /The paper's claims beside this run/);
    assert.match(html, /Sound-source localization/);
    assert.match(html, /under adaptive attacks \(Table 3\)/);
    assert.match(html, /<svg/);
    // The adversarial examples: per sample, clean audio plus adversarial and amplified perturbation for the
    // A- and AV-attacks, as WAV data URIs (a RIFF header), and the same files under examples/.
    assert.ok(html.includes('<h2 id="adversarial-examples">Adversarial examples</h2>'), "examples section");
    const wavs = html.match(/<audio controls preload="metadata" src="data:audio\/wav;base64,UklGR/g) ?? [];
    const index = JSON.parse(await Deno.readTextFile(`${dir}/examples/index.json`));
    const samples = index.sets.flatMap((set: { samples: { folder: string }[] }) => set.samples);
    assert.ok(samples.length >= 1, "at least one example sample");
    assert.equal(wavs.length, 5 * samples.length, "five players per sample");
    const wav = await Deno.readFile(`${dir}/examples/${samples[0].folder}/joint-perturbation.wav`);
    assert.equal(new TextDecoder().decode(wav.subarray(0, 4)), "RIFF");
    // The table of contents links every section; each link resolves to an id on the page.
    const ids = new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
    const nav = html.slice(html.indexOf("<nav"), html.indexOf("</nav>"));
    const targets = [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => m[1] ?? "");
    for (
      const id of ["the-paper-s-claims-beside-this-run", "training", "figures", "how-this-report-was-made"]
    ) {
      assert.ok(targets.includes(id), `the contents lack #${id}`);
    }
    for (const target of targets) assert.ok(ids.has(target), `#${target} is not on the page`);
    assert.match(nav, /href="results\.json"[\s\S]*href="results\.csv"/);
    // Every file the page links to exists: chart specs, LaTeX tables, results.
    const links = [...html.matchAll(/href="([^"#:]+)"/g)].map((m) => decodeURI(m[1] ?? ""));
    assert.ok(links.filter((l) => l.endsWith(".vl.json")).length >= 4, "a spec link under each figure");
    assert.ok(links.filter((l) => l.endsWith(".tex")).length >= 4, "a LaTeX link under each table");
    for (const link of links) assert.ok((await Deno.stat(`${dir}/${link}`)).isFile, link);
    // Accuracy tables carry 95% intervals.
    assert.match(html, /<td[^>]*>[\d.]+ \[[\d.]+, [\d.]+\]<\/td>/);
    assert.doesNotMatch(html, /paper 71\.39/, "no published number on a built-in dataset");
  });

  await t.step("the second run takes every stage from the cache", async () => {
    const stages =
      async () => (JSON.parse(await Deno.readTextFile(`${dir}/provenance.json`)).stages as StageSummary[]);
    const before = await stages();
    const run = await task("tasks/report.ts", flags);
    assert.equal(run.code, 0, run.stderr);
    const after = await stages();
    if (after.every((s, i) => s.codeVersion === before[i]?.codeVersion)) {
      assert.match(run.stdout, /ran: nothing; from cache: data, train, attack, localize, defense/);
    } else {
      // lib/ was edited while this test ran: only stages whose code changed may run again.
      for (const [i, s] of after.entries()) {
        if (s.status === "ran") assert.notEqual(s.codeVersion, before[i]?.codeVersion, `${s.name} ran again`);
      }
    }
  });

  await t.step("the notebooks execute on the same cache without errors", async () => {
    const run = await task("tasks/notebooks.ts", flags);
    assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
    for (
      const name of ["01-data", "02-training", "03-attacks", "04-fusion", "05-localization", "06-defense"]
    ) {
      const notebook = JSON.parse(await Deno.readTextFile(`${dir}/notebooks/${name}.ipynb`));
      const outputs = notebook.cells.flatMap((c: { outputs?: { output_type: string }[] }) => c.outputs ?? []);
      assert.ok(outputs.length > 0, `${name} has outputs`);
      assert.ok(
        outputs.every((o: { output_type: string }) => o.output_type !== "error"),
        `${name} has no error`,
      );
    }
    // Every chart made it into the executed copies (outputs the kernel sends late are kept).
    const svgs = async (name: string) => {
      const notebook = JSON.parse(await Deno.readTextFile(`${dir}/notebooks/${name}.ipynb`));
      const outputs: { data?: Record<string, unknown> }[] = notebook.cells.flatMap((c: { outputs?: [] }) =>
        c.outputs ?? []
      );
      return outputs.filter((o) => o.data?.["image/svg+xml"] !== undefined).length;
    };
    assert.ok(await svgs("02-training") >= 1, "training curves");
    assert.ok(await svgs("03-attacks") >= 2, "accuracy against ε and the heat map");
    assert.ok(await svgs("04-fusion") >= 1, "fusion bars");
    // The localization overlays are PNG images inside Markdown outputs.
    const overlays = (await Deno.readTextFile(`${dir}/notebooks/05-localization.ipynb`))
      .match(/data:image\/png;base64,/g)?.length ?? 0;
    assert.ok(overlays >= 1, "attention maps clean and attacked");
    assert.ok(await svgs("06-defense") >= 1, "robust accuracy against ε per defense");
    // The adversarial examples are an HTML output of 03-attacks with playable WAVs.
    const attacks = JSON.parse(await Deno.readTextFile(`${dir}/notebooks/03-attacks.ipynb`));
    const htmlOutputs = attacks.cells
      .flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? [])
      .map((o: { data?: Record<string, unknown> }) => [o.data?.["text/html"] ?? ""].flat().join(""));
    assert.ok(
      htmlOutputs.some((h: string) =>
        h.includes('<audio controls preload="metadata" src="data:audio/wav;base64,')
      ),
      "03-attacks shows the adversarial examples",
    );
    // Exported to HTML by Debian's nbconvert, the charts survive as <img> data (it strips inline SVG).
    const exported = await new Deno.Command("jupyter-nbconvert", {
      args: ["--to", "html", "--stdout", `${dir}/notebooks/03-attacks.ipynb`],
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.ok(exported.success, "nbconvert --to html");
    const html = new TextDecoder().decode(exported.stdout);
    assert.ok(
      (html.match(/<img src="data:image\/svg\+xml;base64,/g)?.length ?? 0) >= 2,
      "charts in the HTML export",
    );
    assert.ok(
      /<audio controls preload="metadata" src="data:audio\/wav;base64,/.test(html),
      "audio in the HTML export",
    );
    // Every chart output of every executed notebook survives its HTML export (written beside it).
    for (const name of ["02-training", "03-attacks", "04-fusion", "06-defense"]) {
      const exportedPage = await Deno.readTextFile(`${dir}/notebooks/${name}.html`);
      const images = exportedPage.match(/<img src="data:image\/svg\+xml;base64,/g)?.length ?? 0;
      assert.ok(images >= await svgs(name), `${name}.html keeps its ${await svgs(name)} charts (${images})`);
    }
    const third = await task("tasks/report.ts", flags);
    const page = await Deno.readTextFile(`${dir}/index.html`);
    assert.match(page, /notebooks\/03-attacks\.ipynb/, third.stderr);
    // Each executed notebook is exported to HTML beside it, and the page links the export.
    assert.match(page, /href="notebooks\/03-attacks\.html"/);
    assert.ok((await Deno.stat(`${dir}/notebooks/03-attacks.html`)).isFile);
  });

  const chromium = await findChromium();
  await t.step({
    name: "the page opens in headless Chromium without console errors",
    ignore: chromium === null && ALLOW_MISSING_CHROMIUM,
    async fn() {
      assert.ok(chromium, MISSING_CHROMIUM);
      const page = await openInChromium(chromium, `${dir}/index.html`);
      assert.deepEqual(page.console, []);
      assert.match(page.dom, /Table 1/);
      // Every example WAV decodes in the browser, on the page and in examples/ (1 s clips of av-digits).
      for (const file of ["index.html", "examples/index.html"]) {
        const probe = await probeAudio(chromium, `${dir}/${file}`);
        assert.deepEqual(probe.console, [], `console messages of ${file}`);
        assert.ok(probe.audio.length >= 5, `${file} has audio players`);
        for (const audio of probe.audio) {
          assert.equal(audio.error, null, `${file}: ${audio.src}`);
          assert.ok(
            Math.abs((audio.duration ?? 0) - 1) < 1e-3,
            `${file}: ${audio.src} lasts ${audio.duration} s`,
          );
        }
      }
      assert.match(page.dom, /<nav id="contents"/);
    },
  });
});

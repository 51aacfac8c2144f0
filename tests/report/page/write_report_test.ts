import assert from "node:assert/strict";
import { reportCharts } from "../../../lib/report/page/assemble_report.ts";
import { collectProvenance } from "../../../lib/report/page/provenance.ts";
import type { ReportInput } from "../../../lib/report/page/report_markdown.ts";
import type { DatasetSummary } from "../../../lib/report/types.ts";
import { writeReport } from "../../../lib/report/page/write_report.ts";
import { fakeRecords, HOSTILE } from "../_fixtures.ts";
import {
  ALLOW_MISSING_CHROMIUM,
  findChromium,
  MISSING_CHROMIUM,
  openInChromium,
  probeAudio,
} from "../_chromium.ts";
import { exampleFiles, examplesHtml } from "../../../lib/report/examples/mod.ts";
import { exampleSet, LENGTH, RATE } from "../examples/_fixtures.ts";

/** A report whose dataset names, fusion, classes, paths and skip reasons are all hostile. */
async function hostileReport(): Promise<{ dir: string; input: ReportInput }> {
  const records = fakeRecords({ datasets: [HOSTILE[0], HOSTILE[2]], fusions: ["concat", HOSTILE[1]] });
  const datasets: DatasetSummary[] = [{
    name: HOSTILE[3],
    source: HOSTILE[4],
    classes: [...HOSTILE],
    sizes: { train: 1, val: 1, test: 1 },
    sampleRate: 8000,
    audioLength: 8000,
    imageShape: [28, 28, 1],
    hash: "0123456789abcdef",
    skipped: [{ path: HOSTILE[5], reason: HOSTILE[1] }],
  }];
  const input: ReportInput = {
    profile: "smoke",
    command: `deno task report --data-root ${HOSTILE[3]}`,
    records,
    charts: reportCharts(records),
    datasets,
    checks: [{
      id: "budget",
      title: "t",
      raisedIf: "r",
      whatToDo: "w",
      passed: 1,
      flagged: 1,
      examples: [HOSTILE[0]],
    }],
    stages: [],
    seconds: 1,
  };
  const dir = await Deno.makeTempDir({ prefix: "avrobust-report-" });
  const pipeline = { results: {}, summary: [], seconds: 1 };
  const provenance = await collectProvenance({
    command: "x",
    profile: "smoke",
    config: {},
    seeds: {},
    pipeline,
  });
  await writeReport(dir, input, provenance);
  return { dir, input };
}

Deno.test("writeReport() writes the page, every record as JSON and CSV, the chart specs and provenance", async () => {
  const { dir, input } = await hostileReport();
  for (const file of ["index.html", "results.json", "results.csv", "provenance.json"]) {
    assert.ok((await Deno.stat(`${dir}/${file}`)).isFile, file);
  }
  for (const chart of input.charts) {
    assert.ok((await Deno.stat(`${dir}/charts/${chart.name}.vl.json`)).isFile);
  }
  const json = JSON.parse(await Deno.readTextFile(`${dir}/results.json`));
  assert.deepEqual(json.records, input.records);
  const csv = (await Deno.readTextFile(`${dir}/results.csv`)).trimEnd().split("\n");
  assert.equal(csv.length, input.records.length + 1);
  const provenance = JSON.parse(await Deno.readTextFile(`${dir}/provenance.json`));
  assert.equal(provenance.versions.deno, Deno.version.deno);
});

Deno.test("writeReport() escapes hostile labels: no injected element reaches the page", async () => {
  const { dir } = await hostileReport();
  const html = await Deno.readTextFile(`${dir}/index.html`);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /href="javascript:/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, "the label is shown as text");
  assert.match(html, /a \| b \| c/, "a pipe label stays inside its cell");
  // Every table keeps as many cells per row as its header, despite the pipes in the labels.
  const tableRows = html.split("<table>").slice(1).map((t) => t.slice(0, t.indexOf("</table>")));
  for (const table of tableRows) {
    const counts = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
      (m[1]?.match(/<t[dh]/g) ?? []).length
    );
    assert.equal(new Set(counts).size, 1, `a table has ragged rows: ${counts.join(",")}`);
  }
});

Deno.test("writeReport() makes a page that needs nothing from the network", async () => {
  const { dir } = await hostileReport();
  const html = await Deno.readTextFile(`${dir}/index.html`);
  for (const match of html.matchAll(/\b(?:src|href)="([^"]*)"/g)) {
    const target = match[1] ?? "";
    if (target.startsWith("data:") || target.startsWith("#")) continue;
    assert.doesNotMatch(target, /^[a-z]+:/i, `external reference ${target}`);
    assert.ok((await Deno.stat(`${dir}/${decodeURI(target)}`)).isFile, `missing file ${target}`);
  }
});

Deno.test("writeReport() writes a table of contents whose links resolve, and every table as LaTeX", async () => {
  const { dir } = await hostileReport();
  const html = await Deno.readTextFile(`${dir}/index.html`);
  const ids = new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
  const nav = html.slice(html.indexOf("<nav"), html.indexOf("</nav>"));
  const targets = [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
  assert.ok(targets.length >= 6, `${targets.length} entries`);
  for (const target of targets) assert.ok(ids.has(target), `#${target} has no element`);
  for (const file of ["results.json", "results.csv", "provenance.json"]) {
    assert.ok(nav.includes(`href="${file}"`), file);
  }
  const tables = html.split("<table>").length - 1;
  const latex = [...html.matchAll(/href="tables\/([^"]+\.tex)"/g)].map((m) => m[1]);
  assert.equal(latex.length, tables, "a LaTeX link under every table");
  for (const file of latex) {
    const text = await Deno.readTextFile(`${dir}/tables/${file}`);
    assert.match(text, /\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
    assert.doesNotMatch(text, /<script/, "hostile labels escaped");
  }
  assert.match(html, /<td[^>]*>[\d.]+ \[[\d.]+, [\d.]+\]<\/td>/, "accuracies with intervals");
});

const chromium = await findChromium();
Deno.test({
  name: "the report page opens in headless Chromium without console errors",
  ignore: chromium === null && ALLOW_MISSING_CHROMIUM,
  async fn() {
    assert.ok(chromium, MISSING_CHROMIUM);
    const { dir } = await hostileReport();
    const page = await openInChromium(chromium, `${dir}/index.html`);
    assert.deepEqual(page.console, [], "console messages");
    assert.match(page.dom, /<svg/);
    assert.doesNotMatch(page.dom, /<script|<img/i);
  },
});

Deno.test({
  name: "the browser check sees the console errors of a broken page",
  ignore: chromium === null && ALLOW_MISSING_CHROMIUM,
  async fn() {
    assert.ok(chromium, MISSING_CHROMIUM);
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(`${dir}/bad.html`, "<script>console.error('boom'); missing();</script>");
    const page = await openInChromium(chromium, `${dir}/bad.html`);
    assert.equal(page.console.length, 2);
    assert.match(page.console[1] ?? "", /ReferenceError/);
  },
});

/** A report with the examples section and files of the rendering fixture (hostile class names). */
async function examplesReport(dir: string, sets = [exampleSet([HOSTILE[0], HOSTILE[1], HOSTILE[2]])]) {
  const input: ReportInput = {
    profile: "smoke",
    command: "x",
    records: [],
    charts: [],
    datasets: [],
    stages: [],
    seconds: 0,
    sections: ["## Before", {
      html: `<h2 id="adversarial-examples">Adversarial examples</h2>\n${examplesHtml(sets)}`,
    }],
    files: exampleFiles(sets),
  };
  const provenance = await collectProvenance({
    command: "x",
    profile: "smoke",
    config: {},
    seeds: {},
    pipeline: { results: {}, summary: [], seconds: 0 },
  });
  return await writeReport(dir, input, provenance);
}

Deno.test("writeReport() embeds HTML sections as they are and writes the stages' files beside the page", async () => {
  const dir = await Deno.makeTempDir({ prefix: "avrobust-report-" });
  const written = await examplesReport(dir);
  const html = await Deno.readTextFile(`${dir}/index.html`);
  assert.ok(
    html.indexOf("<h2>Before</h2>") < html.indexOf('<h2 id="adversarial-examples">'),
    "sections keep their order",
  );
  assert.equal(
    html.match(/<audio controls preload="metadata" src="data:audio\/wav;base64,UklGR/g)?.length,
    10,
  );
  assert.ok(!/<script/i.test(html), "no script");
  assert.ok(
    html.includes('<a href="examples/index.html">examples/</a> (the adversarial examples'),
    "the files line names examples/",
  );
  assert.ok(written.files.includes("examples/toy/01-test-0/clean.wav"));
  assert.equal(
    new TextDecoder().decode((await Deno.readFile(`${dir}/examples/toy/01-test-0/clean.wav`)).subarray(0, 4)),
    "RIFF",
  );
  assert.ok((await Deno.stat(`${dir}/examples/index.json`)).isFile);
});

Deno.test("writeReport() keeps only this run's files in the stages' folders, and nothing of its temp files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "avrobust-report-" });
  await examplesReport(dir, [exampleSet(["a", "b", "c"], "first")]);
  await Deno.mkdir(`${dir}/notebooks`);
  await Deno.writeTextFile(`${dir}/notebooks/03-attacks.ipynb`, "{}");
  await examplesReport(dir, [exampleSet(["a", "b", "c"], "second")]);
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/examples`)) names.push(entry.name);
  assert.deepEqual(names.sort(), ["index.html", "index.json", "second"]);
  assert.ok((await Deno.stat(`${dir}/notebooks/03-attacks.ipynb`)).isFile, "other files are left alone");
  const all: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory) await walk(`${path}/${entry.name}`);
      else all.push(entry.name);
    }
  };
  await walk(dir);
  assert.ok(all.every((name) => !name.includes(".tmp-")), "no temp file left");
});

Deno.test("writeReport() refuses a stage file outside the report folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "avrobust-report-" });
  const input: ReportInput = {
    profile: "smoke",
    command: "x",
    records: [],
    charts: [],
    datasets: [],
    stages: [],
    seconds: 0,
    files: [{ path: "examples/../../evil.txt", data: "x" }],
  };
  const provenance = await collectProvenance({
    command: "x",
    profile: "smoke",
    config: {},
    seeds: {},
    pipeline: { results: {}, summary: [], seconds: 0 },
  });
  await assert.rejects(
    () => writeReport(dir, input, provenance),
    (e: Error) =>
      e instanceof RangeError &&
      /must stay inside it, current value is 'examples\/\.\.\/\.\.\/evil\.txt'/.test(e.message),
  );
});

Deno.test({
  name:
    "the examples play in headless Chromium: every WAV decodes, inline and as files, without console errors",
  ignore: chromium === null && ALLOW_MISSING_CHROMIUM,
  async fn() {
    assert.ok(chromium, MISSING_CHROMIUM);
    const dir = await Deno.makeTempDir({ prefix: "avrobust-report-" });
    await examplesReport(dir);
    for (const page of [`${dir}/index.html`, `${dir}/examples/index.html`]) {
      const probe = await probeAudio(chromium, page);
      assert.deepEqual(probe.console, [], `console messages of ${page}`);
      assert.equal(probe.audio.length, 10);
      for (const audio of probe.audio) {
        assert.equal(audio.error, null, audio.src);
        assert.ok(audio.readyState >= 1, `${audio.src}: metadata decoded`);
        assert.ok(
          Math.abs((audio.duration ?? 0) - LENGTH / RATE) < 1e-3,
          `${audio.src}: ${audio.duration} s`,
        );
      }
    }
  },
});

Deno.test({
  name: "the audio probe sees a WAV that does not decode",
  ignore: chromium === null && ALLOW_MISSING_CHROMIUM,
  async fn() {
    assert.ok(chromium, MISSING_CHROMIUM);
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(
      `${dir}/bad.html`,
      '<body><audio src="data:audio/wav;base64,UklGRgAAAAA="></audio></body>',
    );
    const [audio] = (await probeAudio(chromium, `${dir}/bad.html`)).audio;
    assert.equal(audio?.duration, null);
    assert.notEqual(audio?.error, null);
  },
});

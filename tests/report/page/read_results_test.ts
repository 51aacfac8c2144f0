import assert from "node:assert/strict";
import { readResults } from "../../../lib/report/page/read_results.ts";
import { DataFormatError } from "../../../lib/data/errors.ts";
import { fakeRecords } from "../_fixtures.ts";

Deno.test("readResults() reads a report folder or its results.json", async () => {
  const dir = await Deno.makeTempDir();
  const records = fakeRecords();
  await Deno.writeTextFile(`${dir}/results.json`, JSON.stringify({ records, localization: [] }));
  const fromFolder = await readResults(dir);
  assert.equal(fromFolder.path, `${dir}/results.json`);
  assert.equal(fromFolder.records.length, records.length);
  assert.deepEqual(fromFolder.defense, []);
  assert.deepEqual((await readResults(`${dir}/results.json`)).records, fromFolder.records);
});

Deno.test("readResults() names the file and the problem of a bad results file", async (t) => {
  const dir = await Deno.makeTempDir();
  const cases: [string, string, RegExp][] = [
    ["broken.json", "{ not json", /not valid JSON/],
    ["other.json", JSON.stringify({ rows: [] }), /no 'records' list/],
    [
      "row.json",
      JSON.stringify({ records: [{ ...fakeRecords()[0], total: "50" }] }),
      /records\[0\]\.total is not a number/,
    ],
    ["defense.json", JSON.stringify({ records: [], defense: [{}] }), /defense\[0\]\.dataset is not a string/],
  ];
  for (const [name, text, problem] of cases) {
    await t.step(name, async () => {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      await assert.rejects(readResults(`${dir}/${name}`), (error) => {
        assert.ok(error instanceof DataFormatError);
        assert.match(error.message, problem);
        assert.ok(error.message.endsWith(`${dir}/${name}`), error.message);
        assert.equal(error.message.split("\n").length, 1);
        return true;
      });
    });
  }
  await assert.rejects(readResults(`${dir}/missing`), /no such file or folder: .*missing$/);
  await Deno.mkdir(`${dir}/empty`);
  await assert.rejects(readResults(`${dir}/empty`), /the folder has no results\.json/);
});

import assert from "node:assert/strict";
import { CSV_COLUMNS, recordsToCsv } from "../../../lib/report/page/records_csv.ts";
import { fakeRecords, HOSTILE } from "../_fixtures.ts";

/** A small RFC 4180 reader, enough to round-trip the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"', i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(field), field = "");
    else if (c === "\n") (row.push(field), rows.push(row), row = [], field = "");
    else field += c;
  }
  return rows;
}

Deno.test("recordsToCsv() writes one row per record under the documented header", () => {
  const records = fakeRecords();
  const rows = parseCsv(recordsToCsv(records));
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, records.length + 1);
  const accuracy = CSV_COLUMNS.indexOf("accuracy");
  assert.deepEqual(rows.slice(1).map((r) => Number(r[accuracy])), records.map((r) => r.accuracy));
});

Deno.test("recordsToCsv() round-trips hostile labels and defuses spreadsheet formulas", () => {
  const base = fakeRecords()[0];
  assert.ok(base);
  const labels = [...HOSTILE, '=HYPERLINK("x")', 'a,"b"'];
  const rows = parseCsv(recordsToCsv(labels.map((dataset) => ({ ...base, dataset }))));
  const column = CSV_COLUMNS.indexOf("dataset");
  assert.deepEqual(rows.slice(1).map((r) => r[column]), labels.map((l) => (l.startsWith("=") ? `'${l}` : l)));
  assert.ok(rows.slice(1).every((r) => r.length === CSV_COLUMNS.length));
});

Deno.test("recordsToCsv() summarises per-sample cosines as their mean", () => {
  const base = fakeRecords()[0];
  assert.ok(base);
  const rows = parseCsv(recordsToCsv([{ ...base, cosine: [0.25, 0.75] }]));
  assert.equal(rows[1]?.[CSV_COLUMNS.indexOf("cosineMean")], "0.5");
});

Deno.test("recordsToCsv() gives ε_v's pixel size for the record's model, empty where its std is unknown", () => {
  const base = fakeRecords()[0];
  assert.ok(base);
  const { visualStd: _, ...withoutStd } = base;
  const normalised = { ...withoutStd, epsVisual: 0.012, visualUnits: "normalized" as const };
  const rows = parseCsv(recordsToCsv([
    { ...normalised, visualStd: [0.5] },
    { ...normalised, visualStd: [0.229, 0.224, 0.225] },
    normalised,
    { ...base, epsVisual: 0.012, visualUnits: "pixel" as const },
  ]));
  const sizes = rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf("epsVisual255")]);
  assert.equal(Number(sizes[0]).toFixed(2), "1.53");
  assert.equal(Number(sizes[1]).toFixed(3), (0.012 * 0.229 * 255).toFixed(3));
  assert.equal(sizes[2], "");
  assert.equal(Number(sizes[3]).toFixed(2), "3.06");
});

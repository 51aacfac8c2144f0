import assert from "node:assert/strict";
import { wilsonInterval } from "../../lib/eval/wilson_interval.ts";

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 5e-5, `${actual} is not ${expected}`);

Deno.test("wilsonInterval() matches published 95% intervals", async (t) => {
  // Newcombe (1998), Statistics in Medicine 17:857, Table I (method 3): 81/263 → 0.2553–0.3662, and the
  // textbook 5/10 → 0.2366–0.7634; 0/10 and 10/10 keep a width of 0.2775.
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [5, 10, 0.2366, 0.7634],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [15, 148, 0.0624, 0.1605],
  ];
  for (const [correct, total, low, high] of cases) {
    await t.step(`${correct}/${total}`, () => {
      const interval = wilsonInterval(correct, total);
      close(interval.value, correct / total);
      close(interval.low, low);
      close(interval.high, high);
    });
  }
});

Deno.test("wilsonInterval() widens with the level and stays inside [0, 1]", () => {
  const narrow = wilsonInterval(5, 10, { level: 0.9 });
  close(narrow.low, 0.2693);
  close(narrow.high, 0.7307);
  const wide = wilsonInterval(5, 10, { level: 0.99 });
  assert.ok(wide.low < narrow.low && wide.high > narrow.high);
  const edge = wilsonInterval(1, 1);
  assert.deepEqual([edge.low >= 0, edge.high], [true, 1]);
});

Deno.test("wilsonInterval() refuses counts and levels out of range", () => {
  assert.throws(() => wilsonInterval(1, 0), { name: "RangeError", message: /total must be an integer >= 1/ });
  assert.throws(() => wilsonInterval(11, 10), {
    name: "RangeError",
    message: /correct must be an integer in \[0, 10\]/,
  });
  assert.throws(() => wilsonInterval(1.5, 10), RangeError);
  assert.throws(() => wilsonInterval(1, 10, { level: 1 }), {
    name: "RangeError",
    message: /level must be in \(0, 1\)/,
  });
});

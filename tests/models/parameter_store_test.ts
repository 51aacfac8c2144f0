import assert from "node:assert/strict";
import { createRng, tf, useBackend } from "../../lib/engine/mod.ts";
import { ParameterStore } from "../../lib/models/parameter_store.ts";

await useBackend("cpu");

Deno.test("ParameterStore draws each parameter from its own fork, so creation order does not matter", async () => {
  const a = new ParameterStore(createRng(5)), b = new ParameterStore(createRng(5));
  const a1 = a.add("x", "audio", [3], { kind: "normal", std: 1 });
  const a2 = a.add("y", "visual", [3], { kind: "normal", std: 1 });
  const b2 = b.add("y", "visual", [3], { kind: "normal", std: 1 });
  const b1 = b.add("x", "audio", [3], { kind: "normal", std: 1 });
  assert.deepEqual(await a1.data(), await b1.data());
  assert.deepEqual(await a2.data(), await b2.data());
  assert.notDeepEqual(await a1.data(), await a2.data());
  a.dispose();
  b.dispose();
});

Deno.test("ParameterStore groups trainable variables by module and keeps statistics out of them", () => {
  const store = new ParameterStore(createRng(1));
  store.add("w", "fusion", [2, 2], { kind: "uniform", bound: 1 });
  store.add("stat", "fusion", [2], { kind: "constant", value: 1 }, false);
  assert.equal(store.trainable.fusion.length, 1);
  assert.equal(store.variables.size, 2);
  assert.equal(store.count(), 4);
  assert.equal(store.count(false), 6);
  store.dispose();
});

Deno.test("ParameterStore.add() refuses a name twice and leaks no tensors", () => {
  const before = tf.memory().numTensors;
  const store = new ParameterStore(createRng(1));
  store.add("w", "audio", [1], { kind: "constant", value: 0 });
  assert.throws(() => store.add("w", "audio", [1], { kind: "constant", value: 0 }), /already taken/);
  store.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("ParameterStore He initialisation has the right scale", async () => {
  const store = new ParameterStore(createRng(2));
  const w = store.add("w", "visual", [100, 100], { kind: "heNormal", fan: 50 });
  const values = Array.from(await w.data());
  const variance = values.reduce((s, v) => s + v * v, 0) / values.length;
  assert.ok(Math.abs(variance - 2 / 50) < 0.004, `variance ${variance}`);
  store.dispose();
});

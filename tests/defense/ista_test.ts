import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { ista, type IstaDiagnostics } from "../../lib/defense/ista.ts";
import { get, multiply, orthonormalColumns, randomMatrix } from "./_linear_algebra.ts";

function softThreshold(v: number, t: number): number {
  return Math.sign(v) * Math.max(Math.abs(v) - t, 0);
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`ista() on an orthonormal dictionary is soft-thresholding of Dᵀx (${backend})`, async (t) => {
    await useBackend(backend);
    const d = orthonormalColumns(5, 5, 1);
    const x = randomMatrix(3, 5, 2);
    const expected = multiply(x, d).values.map((v) => softThreshold(v, 0.4));
    const dictionary = tf.tensor2d(d.values, [5, 5]);
    const features = tf.tensor2d(x.values, [3, 5]);
    for (const step of [1, 0.5, "auto"] as const) {
      await t.step(`step ${step}`, async () => {
        const codes = ista(dictionary, features, { lambda: 0.4, step, maxIterations: 200, tolerance: 1e-7 });
        const values = await codes.data();
        expected.forEach((v, i) => assert.ok(Math.abs((values[i] ?? NaN) - v) < 1e-5, `code ${i}`));
        assert.ok(
          expected.some((v) => v === 0) && expected.some((v) => v !== 0),
          "a mix of zero and non-zero codes",
        );
        expected.forEach((v, i) => v === 0 && assert.equal(values[i], 0, "exact zeros"));
        codes.dispose();
      });
    }
    tf.dispose([dictionary, features]);
  });

  Deno.test(`ista() meets the Lasso optimality conditions on a random dictionary (${backend})`, async () => {
    await useBackend(backend);
    const lambda = 0.3;
    const d = randomMatrix(6, 10, 3);
    const x = randomMatrix(2, 6, 4);
    const dictionary = tf.tensor2d(d.values, [6, 10]);
    const features = tf.tensor2d(x.values, [2, 6]);
    const codes = ista(dictionary, features, { lambda, maxIterations: 4000, tolerance: 0 });
    const h = { rows: 2, cols: 10, values: Array.from(await codes.data()) };
    // Dᵀ(x − D h) per sample: |·| ≤ λ off the support, = λ·sign(h) on it.
    const dt = {
      rows: 10,
      cols: 6,
      values: Array.from({ length: 60 }, (_, k) => get(d, k % 6, Math.floor(k / 6))),
    };
    const reconstruction = multiply(h, dt);
    const residual = {
      rows: 2,
      cols: 6,
      values: x.values.map((v, i) => v - (reconstruction.values[i] ?? NaN)),
    };
    const correlation = multiply(residual, d);
    let support = 0;
    correlation.values.forEach((c, i) => {
      const code = h.values[i] ?? NaN;
      assert.ok(Math.abs(c) <= lambda + 2e-3, `|Dᵀr| ${c} within λ`);
      if (code !== 0) {
        support++;
        assert.ok(Math.abs(c - lambda * Math.sign(code)) < 2e-3, `Dᵀr ${c} = λ·sign(h) on the support`);
      }
    });
    assert.ok(support > 0 && support < 20, `a proper support (${support} of 20)`);
    tf.dispose([dictionary, features, codes]);
  });

  Deno.test(`ista() gradients match finite differences (${backend})`, async () => {
    await useBackend(backend);
    const d = randomMatrix(4, 6, 5);
    const x = randomMatrix(2, 4, 6);
    const r = randomMatrix(2, 6, 7);
    const dictionary = tf.tensor2d(d.values, [4, 6]);
    const weights = tf.tensor2d(r.values, [2, 6]);
    const options = { lambda: 0.05, maxIterations: 40, tolerance: 0, maxEigenvalue: 30, step: 1 / 30 };
    const loss = (features: tf.Tensor) =>
      tf.sum(tf.mul(ista(dictionary, tf.reshape<tf.Rank.R2>(features, [2, 4]), options), weights));
    const features = tf.tensor2d(x.values, [2, 4]);
    const gradient = tf.grad(loss)(features);
    const analyticValues = await gradient.data();
    const direction = randomMatrix(2, 4, 8).values;
    const value = async (sign: number) => {
      const shifted = tf.tensor2d(x.values.map((v, i) => v + sign * 1e-3 * (direction[i] ?? 0)), [2, 4]);
      const out = tf.tidy(() => loss(shifted));
      const result = (await out.data())[0] ?? NaN;
      tf.dispose([shifted, out]);
      return result;
    };
    const numeric = ((await value(1)) - (await value(-1))) / 2e-3;
    const analytic = direction.reduce((s, v, i) => s + v * (analyticValues[i] ?? NaN), 0);
    assert.ok(Math.abs(analytic) > 1e-2, `a non-zero gradient (${analytic})`);
    assert.ok(
      Math.abs(numeric - analytic) < 1e-2 * Math.max(1, Math.abs(analytic)),
      `${numeric} vs ${analytic}`,
    );
    tf.dispose([dictionary, weights, features, gradient]);
  });
}

/**
 * The loop written out in plain TensorFlow.js ops (autodiff through every iteration), with the same
 * per-sample stopping rule: the reference for ista()'s hand-written backward pass.
 */
function unrolledReference(
  dictionary: tf.Tensor2D,
  features: tf.Tensor2D,
  options: { lambda: number; step: number; maxIterations: number; tolerance: number },
): { codes: tf.Tensor2D; iterationsPerSample: number[] } {
  const { lambda, step, maxIterations, tolerance } = options;
  const batch = features.shape[0];
  const iterationsPerSample = Array.from({ length: batch }, () => 0);
  let active = iterationsPerSample.map(() => true);
  let h: tf.Tensor2D = tf.zeros([batch, dictionary.shape[1]]);
  for (let k = 1; k <= maxIterations && active.some(Boolean); k++) {
    const residual = tf.sub(tf.matMul(h, dictionary, false, true), features);
    const u = tf.sub(h, tf.mul(tf.matMul(residual, dictionary), step));
    const next: tf.Tensor2D = tf.where(
      tf.tensor2d(active, [batch, 1], "bool"),
      tf.sub(u, tf.clipByValue(u, -step * lambda, step * lambda)),
      h,
    );
    const changes = tf.norm(tf.sub(next, h), "euclidean", 1).dataSync();
    active.forEach((on, i) => {
      if (on) iterationsPerSample[i] = k;
    });
    active = active.map((on, i) => on && !((changes[i] ?? 0) < tolerance));
    h = next;
  }
  return { codes: h, iterationsPerSample };
}

Deno.test("ista()'s gradient equals autodiff through the unrolled loop, samples stopping at different iterations", async () => {
  await useBackend("cpu");
  const dictionary = tf.tensor2d(randomMatrix(8, 30, 15).values, [8, 30]);
  // Rows of very different sizes converge after very different numbers of iterations.
  const scales = [0.01, 0.1, 1, 3, 10, 30];
  const x = randomMatrix(6, 8, 16);
  const features = tf.tensor2d(x.values.map((v, i) => v * (scales[Math.floor(i / 8)] ?? 1)), [6, 8]);
  const weights = tf.tensor2d(randomMatrix(6, 30, 17).values, [6, 30]);
  const options = { lambda: 0.3, step: 1 / 120, maxIterations: 30, tolerance: 1e-2, maxEigenvalue: 120 };
  let perSample: number[] = [];
  const reference = tf.tidy(() => {
    const run = () => unrolledReference(dictionary, features, options);
    perSample = run().iterationsPerSample;
    return tf.grad((f) =>
      tf.sum(tf.mul(unrolledReference(dictionary, f as tf.Tensor2D, options).codes, weights))
    )(
      features,
    );
  });
  let seen: number[] = [];
  const onDiagnostics = (d: IstaDiagnostics) => (seen = d.iterationsPerSample);
  const gradient = tf.grad((f) =>
    tf.sum(
      tf.mul(ista(dictionary, tf.reshape<tf.Rank.R2>(f, [6, 8]), { ...options, onDiagnostics }), weights),
    )
  )(features);
  assert.deepEqual(seen, perSample, "the same stopping iterations");
  assert.ok(new Set(perSample).size >= 4 && perSample.includes(30), `mixed stopping: ${perSample}`);
  const [expected, actual] = [await reference.data(), await gradient.data()];
  const scale = Math.max(...Array.from(expected, Math.abs));
  expected.forEach((e, i) =>
    assert.ok(Math.abs(e - (actual[i] ?? NaN)) < 1e-5 * scale, `∂x ${i}: ${actual[i]} vs ${e}`)
  );
  tf.dispose([dictionary, features, weights, reference, gradient]);
});

Deno.test("ista() leaks no tensors, with and without a gradient tape", async () => {
  await useBackend("cpu");
  const dictionary = tf.tensor2d(randomMatrix(4, 6, 9).values, [4, 6]);
  const features = tf.tensor2d(randomMatrix(3, 4, 10).values, [3, 4]);
  const options = { lambda: 0.1, tolerance: 1e-3, maxIterations: 300, onDiagnostics: () => {} };
  ista(dictionary, features, options).dispose();
  const before = tf.memory().numTensors;
  ista(dictionary, features, options).dispose();
  assert.equal(tf.memory().numTensors, before, "forward");
  const gradient = tf.grad((f) => tf.sum(ista(dictionary, tf.reshape<tf.Rank.R2>(f, [3, 4]), options)))(
    features,
  );
  gradient.dispose();
  assert.equal(tf.memory().numTensors, before, "gradient");
  tf.dispose([dictionary, features]);
});

Deno.test("ista() codes each sample on its own: a batch gives each row's solo result", async () => {
  await useBackend("cpu");
  const dictionary = tf.tensor2d(randomMatrix(4, 6, 11).values, [4, 6]);
  const x = randomMatrix(3, 4, 12);
  const options = { lambda: 0.1, tolerance: 1e-3, maxIterations: 500 };
  const run = (rows: number[], size: number) =>
    tf.tidy(() => ista(dictionary, tf.tensor2d(rows, [size, 4]), options)).dataSync();
  const together = run(x.values, 3);
  for (let i = 0; i < 3; i++) {
    const alone = run(x.values.slice(4 * i, 4 * i + 4), 1);
    assert.deepEqual(Array.from(alone), Array.from(together.slice(6 * i, 6 * i + 6)), `row ${i}`);
  }
  dictionary.dispose();
});

Deno.test("ista() reports diagnostics: zero share, iterations and shrinkage", async () => {
  await useBackend("cpu");
  const dictionary = tf.tensor2d(randomMatrix(4, 6, 13).values, [4, 6]);
  const features = tf.tensor2d(randomMatrix(2, 4, 14).values, [2, 4]);
  const run = (lambda: number, tolerance = 1e-4) => {
    let seen: IstaDiagnostics | undefined;
    ista(dictionary, features, { lambda, tolerance, maxIterations: 300, onDiagnostics: (d) => (seen = d) })
      .dispose();
    if (!seen) throw new Error("no diagnostics");
    return seen;
  };
  const dense = run(0);
  assert.equal(dense.shrinkage, 0, "λ = 0 thresholds nothing");
  assert.ok(dense.step > 0 && Math.abs(dense.step * dense.maxEigenvalue - 1) < 1e-6, "auto step is 1/λ_max");
  const empty = run(100);
  assert.equal(empty.zeroShare, 1, "a huge λ zeroes every code");
  assert.equal(empty.iterations, 1);
  const fixed = run(0.1, 0);
  assert.equal(fixed.iterations, 300, "tolerance 0 runs every iteration");
  assert.deepEqual(fixed.iterationsPerSample, [300, 300]);
  assert.ok(fixed.shrinkage > 0 && fixed.shrinkage < 1);
  tf.dispose([dictionary, features]);
});

Deno.test("ista() rejects a step above 1/λ_max and mismatched shapes", async () => {
  await useBackend("cpu");
  const dictionary = tf.tensor2d([[2, 0], [0, 1]]);
  const features = tf.tensor2d([[1, 1]]);
  assert.throws(
    () => ista(dictionary, features, { step: 0.5 }),
    RangeError,
    "options.step · λ_max(DᵀD) must be <= 1",
  );
  ista(dictionary, features, { step: 0.25 }).dispose();
  const wide = tf.tensor2d([[1, 1, 1]]);
  assert.throws(() => ista(dictionary, wide), TypeError, "must match the dictionary");
  assert.throws(() => ista(dictionary, features, { lambda: -1 }), RangeError, "lambda");
  tf.dispose([dictionary, features, wide]);
});

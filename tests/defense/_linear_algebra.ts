/**
 * Small dense linear algebra in float64 for the defense tests: seeded random matrices, orthonormal
 * columns by Gram-Schmidt, products, and a dictionary with a known spectrum.
 */
import { createRng } from "../../lib/engine/mod.ts";

/** A row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  values: number[];
}

export function get(m: Matrix, i: number, j: number): number {
  return m.values[i * m.cols + j] ?? NaN;
}

/** Seeded standard-normal entries. */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return { rows, cols, values: Array.from({ length: rows * cols }, () => rng.normal()) };
}

/** Orthonormal columns (Gram-Schmidt on a seeded random matrix), `rows >= cols`. */
export function orthonormalColumns(rows: number, cols: number, seed: number): Matrix {
  const a = randomMatrix(rows, cols, seed);
  const columns: number[][] = [];
  for (let j = 0; j < cols; j++) {
    let v = Array.from({ length: rows }, (_, i) => get(a, i, j));
    for (const q of columns) {
      const dot = v.reduce((s, x, i) => s + x * (q[i] ?? 0), 0);
      v = v.map((x, i) => x - dot * (q[i] ?? 0));
    }
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    columns.push(v.map((x) => x / norm));
  }
  return {
    rows,
    cols,
    values: Array.from({ length: rows * cols }, (_, k) => columns[k % cols]?.[Math.floor(k / cols)] ?? NaN),
  };
}

export function multiply(a: Matrix, b: Matrix, transposeA = false): Matrix {
  const rows = transposeA ? a.cols : a.rows;
  const inner = transposeA ? a.rows : a.cols;
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < inner; k++) s += (transposeA ? get(a, k, i) : get(a, i, k)) * get(b, k, j);
      values.push(s);
    }
  }
  return { rows, cols: b.cols, values };
}

/** D = U diag(s) Vᵀ with orthonormal U `[d, k]`, V `[n, k]`: the eigenvalues of DᵀD are s² (and zeros). */
export function dictionaryWithSpectrum(d: number, n: number, singular: number[], seed: number): Matrix {
  const k = singular.length;
  const u = orthonormalColumns(d, k, seed);
  const v = orthonormalColumns(n, k, seed + 1);
  const scaled = { rows: d, cols: k, values: u.values.map((x, idx) => x * (singular[idx % k] ?? 0)) };
  const vt = {
    rows: k,
    cols: n,
    values: Array.from({ length: k * n }, (_, idx) => get(v, idx % n, Math.floor(idx / n))),
  };
  return multiply(scaled, vt);
}

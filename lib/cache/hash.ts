/**
 * Content hashes of JSON-serialisable values and of bytes.
 *
 * @module
 */

/**
 * Serialises a value to JSON with object keys sorted, so that equal values give equal strings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stableStringify({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
 * ```
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) return JSON.stringify(String(value));
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (ArrayBuffer.isView(value)) return stableStringify(Array.from(value as unknown as ArrayLike<number>));
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/**
 * SHA-256 of bytes, as lower-case hex.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal((await sha256Hex(new Uint8Array())).slice(0, 8), "e3b0c442");
 * ```
 */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Content hash of a JSON-serialisable value (SHA-256 of its {@linkcode stableStringify} form).
 *
 * @example Key order does not matter
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(await hashValue({ a: 1, b: 2 }), await hashValue({ b: 2, a: 1 }));
 * ```
 */
export function hashValue(value: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(stableStringify(value)));
}

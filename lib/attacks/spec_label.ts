/**
 * Spec identity: resolved options for cache keys, the options that differ from the defaults for
 * records, and the display label derived from them.
 *
 * @module
 */
import { changedWith, labelWith, type ResolvedSpec, resolveWith, type SpecLike } from "./_spec_label.ts";
import { attackInfo } from "./registry.ts";

export type { ResolvedSpec, SpecLike };

/**
 * Resolves a spec's options against its registry defaults (for cache keys and reports).
 *
 * @param spec A spec, or a spec-shaped record.
 * @returns The name and every option's value, the budget left out and the loss as its id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(resolveSpec({ attack: "pgd" }).options.steps, 10);
 * ```
 */
export function resolveSpec(spec: SpecLike): ResolvedSpec {
  return resolveWith(attackInfo, spec);
}

/**
 * The options of a spec that differ from its registry defaults (keys sorted; `{}` for a default
 * spec). A composite's members come as `{ attack, options }` with their own changed options.
 *
 * @param spec A spec, or a spec-shaped record.
 * @returns The changed options, JSON-serialisable when the loss is a built-in name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(changedOptions({ attack: "mim", options: { projection: "asReleased", steps: 10 } }), {
 *   projection: "asReleased",
 * });
 * assert.deepEqual(changedOptions({ attack: "pgd" }), {});
 * ```
 */
export function changedOptions(spec: SpecLike): Record<string, unknown> {
  return changedWith(attackInfo, spec);
}

/**
 * A short label: the name plus every option that differs from its default, e.g.
 * `mim(projection=asReleased)`; a worst case reads `worstCase(fgsm+pgd)`.
 *
 * @param spec A spec, or a spec-shaped record (a record's name and changed options give the same label).
 * @returns The label.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(specLabel({ attack: "pgd", options: { steps: 20 } }), "pgd(steps=20)");
 * assert.equal(specLabel({ attack: "worstCase", options: { attacks: [{ attack: "fgsm" }] } }), "worstCase(fgsm)");
 * ```
 */
export function specLabel(spec: SpecLike): string {
  return labelWith(attackInfo, spec);
}

/**
 * The paper's memory-bank defense as a model: every forward pass codes each embedding against its bank.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvModel, Modality, ModalityEncoding } from "../models/types.ts";
import { type DefenseBank, defenseBank, type DefenseOptions } from "./defense_bank.ts";
import type { IstaDiagnostics } from "./ista.ts";

/** Options of {@linkcode defendModel}: the defense's settings plus a diagnostics callback. */
export interface DefendModelOptions extends DefenseOptions {
  /** Called after each coding with the modality and ISTA's diagnostics (costs a sync per call). */
  onDiagnostics?: (modality: Modality, diagnostics: IstaDiagnostics) => void;
}

/** A defended model: an {@linkcode AvModel} plus its prepared banks. */
export interface DefendedModel extends AvModel {
  /** The prepared bank of each defended modality. */
  readonly banks: Readonly<Partial<Record<Modality, DefenseBank>>>;
}

/**
 * Wraps a model with the paper's defense (Tian & Xu, CVPR 2021, section 5): each embedding f of a
 * modality with a bank D `[d, n]` becomes f̃ = a · D h + (1 − a) · f, h the ISTA code of f against D,
 * before fusion. The forward pass runs the unrolled ISTA, so attacks differentiate through it
 * (`backward: "exact"`), or through a BPDA surrogate (`"linear"`, `"identity"`). It is deterministic,
 * so expectation over transformations (EOT) has nothing to average. In training mode (fine-tuning with
 * the defense in the loop, as the paper did) the encoders run in training mode, the banks stay fixed and
 * gradients reach the encoders through the ISTA. The visual feature map passes undefended (fusions that
 * read it, such as attention, see it as is).
 *
 * The wrapper owns neither the base model nor the banks; `dispose()` frees only its own tensors.
 *
 * @param model The base model; must implement `encode`.
 * @param banks D per modality `[d, n]` (e.g. from {@linkcode memoryBanks}); a modality without one passes
 *   undefended. Not disposed.
 * @param options Mixing a, ISTA settings, the backward pass and a diagnostics callback.
 * @returns The defended model.
 * @throws {TypeError} If the model has no `encode`.
 * @throws {RangeError} If an option is out of range or a step exceeds 1/λ_max.
 *
 * @example
 * ```ts ignore
 * const banks = await memoryBanks(model, { split: dataset.splits.train, shape: dataset });
 * const defended = defendModel(model, { audio: banks.audio, visual: banks.visual }, { mix: 0.5 });
 * const result = await runAttack(defended, batch, { attack: "pgd" }, DEFENSE_BUDGETS.joint);
 * ```
 */
export function defendModel(
  model: AvModel,
  banks: Partial<Record<Modality, tf.Tensor2D | null>>,
  options: DefendModelOptions = {},
): DefendedModel {
  const { onDiagnostics, ...defense } = options;
  const baseEncode = model.encode?.bind(model);
  if (!baseEncode) {
    throw new TypeError(`Cannot defend model '${model.config.kind}': it must implement encode`);
  }
  const prepared: Partial<Record<Modality, DefenseBank>> = {};
  for (const modality of model.modalities) {
    const dictionary = banks[modality];
    if (dictionary) prepared[modality] = defenseBank(dictionary, defense);
  }
  const encode = (
    modality: Modality,
    input: tf.Tensor,
    mode: { training?: boolean } = {},
  ): ModalityEncoding => {
    const encoding = baseEncode(modality, input, mode);
    const bank = prepared[modality];
    if (!bank) return encoding;
    const features = bank.defend(
      encoding.features,
      onDiagnostics ? (diagnostics) => onDiagnostics(modality, diagnostics) : undefined,
    );
    encoding.features.dispose();
    return { features, map: encoding.map };
  };
  const first = Object.values(prepared)[0];
  return {
    ...model,
    config: {
      ...model.config,
      defense: {
        ...(first?.options ?? defense),
        banks: Object.fromEntries(Object.entries(prepared).map(([m, b]) => [m, b.dictionary.shape])),
      },
    },
    banks: prepared,
    encode,
    apply(audio, visual, applyOptions = {}) {
      const mode = { training: applyOptions.training ?? false };
      const given = applyOptions.encoded ?? {};
      const owned: ModalityEncoding[] = [];
      const encoded: Partial<Record<Modality, ModalityEncoding>> = {};
      for (const modality of model.modalities) {
        const passed = given[modality];
        if (passed) {
          encoded[modality] = passed;
          continue;
        }
        const encoding = encode(modality, modality === "audio" ? audio : visual, mode);
        owned.push(encoding);
        encoded[modality] = encoding;
      }
      try {
        return model.apply(audio, visual, { ...applyOptions, encoded });
      } finally {
        for (const encoding of owned) {
          tf.dispose([encoding.features, ...(encoding.map ? [encoding.map] : [])]);
        }
      }
    },
    dispose() {
      for (const bank of Object.values(prepared)) bank.dispose();
    },
  };
}

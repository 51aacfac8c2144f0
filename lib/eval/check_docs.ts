/**
 * What every sanity-check flag means and what to do about it, for reports.
 *
 * @module
 */
import type { CheckId } from "./types.ts";

/** What a flag means and what to do about it, per check id. */
export interface CheckDoc {
  /** Short title. */
  title: string;
  /** "Raised if …". */
  raisedIf: string;
  /** "What to do". */
  whatToDo: string;
}

/**
 * The doc table of every check (AutoAttack `flags_doc.md` style), for the report to render.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(CHECK_DOCS["zero-gradient"].raisedIf.startsWith("Raised if"));
 * ```
 */
export const CHECK_DOCS: Readonly<Record<CheckId, CheckDoc>> = Object.freeze({
  budget: {
    title: "Perturbation within budget",
    raisedIf:
      "Raised if some sample's perturbation is larger than ε in a modality's norm (beyond float rounding).",
    whatToDo:
      "Expected only for MIM with projection 'asReleased' (the paper's code has no ε-ball projection); otherwise it is a bug in the attack: report it.",
  },
  range: {
    title: "Inputs within range",
    raisedIf: "Raised if an attacked input leaves model.bounds (waveform [-1, 1], pixels [0, 1]).",
    whatToDo: "A bug in the attack's clipping or a model with wrong bounds: check model.bounds.",
  },
  finite: {
    title: "No NaN or infinity",
    raisedIf: "Raised if an attacked input or the logits on it contain NaN or infinite values.",
    whatToDo: "Look for log(0) or division by zero in the model or loss; results of this cell are not valid.",
  },
  "loss-increase": {
    title: "The attack raised its loss",
    raisedIf: "Raised if an iterative untargeted attack ends with a lower mean loss than it started with.",
    whatToDo:
      "Signals a step size far too large or gradient masking: try a smaller relativeStepSize or APGD.",
  },
  "zero-budget": {
    title: "Zero budget equals clean accuracy",
    raisedIf: "Raised if robust accuracy under a zero budget differs from clean accuracy.",
    whatToDo:
      "The model is not deterministic in eval mode, or the attack changed a modality it should not have: report it.",
  },
  "zero-gradient": {
    title: "Non-zero input gradients",
    raisedIf: "Raised if some correctly classified samples have an exactly zero input gradient of the loss.",
    whatToDo:
      "Gradient masking or saturated softmax: white-box results overstate robustness; use the margin loss, APGD, or a black-box attack.",
  },
  deterministic: {
    title: "Deterministic forward pass",
    raisedIf: "Raised if two forward passes on the same inputs give different logits.",
    whatToDo:
      "A randomised model (dropout left on, random defence): evaluate with EOT (average gradients over runs).",
  },
  logits: {
    title: "Outputs are logits",
    raisedIf: "Raised if the model's outputs look like probabilities (every row in [0, 1] and summing to 1).",
    whatToDo:
      "Return pre-softmax logits: cross-entropy on probabilities flattens gradients and weakens attacks.",
  },
  "stronger-weaker": {
    title: "A stronger attack is not weaker",
    raisedIf:
      "Raised if an iterative attack (PGD, MIM, APGD) leaves a higher robust accuracy than FGSM at the same budget.",
    whatToDo:
      "Gradient masking or a too large step: trust the lowest accuracy, try more steps or random restarts.",
  },
  "monotone-epsilon": {
    title: "Accuracy falls as ε grows",
    raisedIf:
      "Raised if robust accuracy rises (by more than one sample) when ε grows along the same attack and direction.",
    whatToDo: "Gradient masking or an attack that did not converge: add steps, restarts, or use APGD.",
  },
  ensemble: {
    title: "The worst case is not weaker than its members",
    raisedIf:
      "Raised if the worst case over attacks leaves a higher robust accuracy than one of its members run alone.",
    whatToDo: "Members were run with different seeds or data; check that the cells share samples and seeds.",
  },
});

/**
 * avrobust: does fusing audio and vision make a model harder or easier to fool? A Deno + TensorFlow.js
 * reproduction and extension of Tian & Xu (CVPR 2021).
 *
 * This face holds what a notebook or a user script needs: the engine, data, models, training, attacks,
 * evaluation and the study's pipeline, tables and charts. Every type of every step is exported too; the
 * rest (kernels, check internals, page rendering) is reachable through each step's own face, e.g.
 * `lib/eval/mod.ts`.
 *
 * @example Ready the engine
 * ```ts ignore
 * import { useBackend } from "./mod.ts";
 * await useBackend("wasm", { seed: 1 });
 * ```
 *
 * @module
 */
export { BackendUnavailableError, createRng, currentBackend, tf, useBackend } from "./lib/engine/mod.ts";
export type * from "./lib/engine/mod.ts";

export { hashValue, openCache, sourceHash, writeFileAtomic } from "./lib/cache/mod.ts";
export type * from "./lib/cache/mod.ts";

export { escapeHtml, escapeMarkdown } from "./lib/text/mod.ts";

export {
  assertFinite,
  AVE_CLASSES_CVPR21,
  AVE_CLASSES_ECCV18,
  BUILTIN_DATASETS,
  checkDataset,
  DataFormatError,
  decodeWav,
  disposeBatch,
  encodeWav,
  formatCheckReport,
  loadBatch,
  loadBuiltin,
  memorySplit,
  openAveFeatures,
  openCsvLayout,
  openVideoFolder,
  readImage,
  readWav,
  writeDatasetCard,
} from "./lib/data/mod.ts";
export type * from "./lib/data/mod.ts";

export {
  createModel,
  disposeOutput,
  FUSIONS,
  isFusionName,
  linearBatch,
  linearModel,
  loadTorchvisionResnet18,
  MODEL_PRESETS,
  nonlinearModel,
  resolveModelConfig,
} from "./lib/models/mod.ts";
export type * from "./lib/models/mod.ts";

export {
  CheckpointMismatchError,
  createOptimizer,
  evaluateAccuracy,
  loadCheckpoint,
  readCheckpointMeta,
  resolveTrainConfig,
  saveCheckpoint,
  TRAIN_PRESETS,
  trainModel,
  trainStep,
} from "./lib/train/mod.ts";
export type * from "./lib/train/mod.ts";

export {
  apgd,
  ATTACK_PRESETS,
  attackInfo,
  attackNames,
  ATTACKS,
  budgetGrid,
  budgetKind,
  budgetLabel,
  DEFENSE_BUDGETS,
  fgsm,
  isAdversarial,
  LOSSES,
  mim,
  PAPER_BUDGETS,
  pgd,
  registerAttack,
  resolveSpec,
  runAttack,
  specLabel,
  square,
  visualPixelEpsilon,
  worstCase,
} from "./lib/attacks/mod.ts";
export type * from "./lib/attacks/mod.ts";

export {
  bootstrapInterval,
  ciou,
  localizationAuc,
  localizationMaps,
  LOCALIZER_MODEL,
  LOCALIZERS,
  mapAttack,
  mapLoss,
  pointingGame,
} from "./lib/localize/mod.ts";
export type * from "./lib/localize/mod.ts";

export { CHECK_DOCS, measureAttack, probeModel, runSweep, StateMismatchError } from "./lib/eval/mod.ts";
export type * from "./lib/eval/mod.ts";

export { defendModel, defenseBank, ista, memoryBanks, powerIteration } from "./lib/defense/mod.ts";
export type * from "./lib/defense/mod.ts";

export {
  accuracyEpsilonChart,
  assembleReport,
  attackKey,
  attackLabel,
  attackRecords,
  attackStage,
  budgetHeatmapChart,
  chartDisplayData,
  checkClaims,
  checksMarkdown,
  claimsMarkdown,
  collectProvenance,
  cosineHistogramChart,
  datasetsMarkdown,
  dataStage,
  defenseEpsilonChart,
  defenseStage,
  defenseTableMarkdown,
  defenseVerdict,
  examplesHtml,
  executeNotebook,
  fusionBarsChart,
  knownModelIds,
  localizationBaselineCheck,
  localizationTableMarkdown,
  localizationVerdict,
  localizeStage,
  LongRunRefusedError,
  markdownToText,
  openDatasetSpec,
  overlayMarkdown,
  parseModelId,
  progressPrinter,
  recordsToCsv,
  renderChartSvg,
  REPORT_PROFILE_NAMES,
  REPORT_PROFILES,
  REPORT_STAGES,
  resolveReportConfig,
  resultOf,
  resultsTable,
  runForNotebook,
  runPipeline,
  summarizeChecks,
  table1Markdown,
  table2Markdown,
  trainingCurvesChart,
  trainingTableMarkdown,
  trainStage,
  writeReport,
} from "./lib/report/mod.ts";
export type * from "./lib/report/mod.ts";

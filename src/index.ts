/**
 * The library API of prednas: what the command-line program does, as typed functions and classes.
 * Each group below mirrors a command (`prednas hash`, `bench`, `predictor`, `search`, `study`,
 * `report`); the modules behind them hold the documentation.
 */

// The NAS-Bench-101 cell space, exact to google-research/nasbench (`hash`, `sample`, `neighbours`, `enumerate`).
export { ModelSpec, SpecError, checkSpec, isValid, prune, specProblem, type CellSpec, type SpecProblem } from "./spaces/cell/spec.js";
export { hashModule, hashToHex, hexToHash } from "./spaces/cell/hash.js";
export { randomSpec } from "./spaces/cell/sample.js";
export { type CellRules } from "./spaces/cell/rules.js";
export { NASBENCH101_RULES } from "./spaces/nasbench101/ops.js";
export { mutateSpec, type MutationOptions } from "./spaces/cell/mutate.js";
export { neighbours, type Neighbour } from "./spaces/cell/neighbours.js";
export { enumerateSpace, type Enumeration as Nasbench101Enumeration, type EnumerationOptions } from "./spaces/nasbench101/enumerate.js";
export { MersenneTwister } from "./util/rng.js";

// The tabular benchmark (`bench info|query|top|import`).
export { Nasbench101Benchmark, type QueryResult, type MetricStats } from "./spaces/nasbench101/table/benchmark.js";
export { trainableParameters } from "./spaces/nasbench101/parameters.js";
export { locateTable, DataNotFoundError, type DataLocation } from "./spaces/nasbench101/table/locate.js";
export { importOfficialTfrecord, type ImportOptions, type ImportSummary } from "./spaces/nasbench101/table/importOfficial.js";
export { METRIC_NAMES, OBJECTIVES, DEFAULT_OBJECTIVE, type MetricName, type Objective } from "./spaces/nasbench101/table/metrics.js";

// Search spaces (`spaces`): a new space is a folder implementing spaces/types.ts and one registry line.
export type {
  SearchSpace,
  FeatureEncoding,
  GraphEncoding,
  Enumeration,
  Problem,
  SearchProblem,
  ProblemSpec,
  SpaceDefinition,
  Benchmark,
  Oracle,
  Observation,
  ArchitectureInput,
} from "./spaces/types.js";
export { SPACES, SPACE_NAMES, DEFAULT_SPACE, spaceDefinition, loadProblem, loadSearchProblem } from "./spaces/registry.js";
// A user's space from a space file (`--space-file`): named choices, or an NB101-style cell with the user's ops and limits.
export { readSpaceFile, parseSpaceDefinition, spaceFileProblem, type SpaceFile, type SpaceFileDefinition } from "./spaces/custom/file.js";
export { ChoicesSpace, type ChoicesArch, type ChoiceValue } from "./spaces/custom/choices.js";
export { CellSpace, type CellArch } from "./spaces/custom/cell.js";
export { MetricColumn, type MetricSummary } from "./spaces/metricStats.js";
export { PATH_WIDTH, ADJACENCY_WIDTH, GRAPH_VERTICES, GRAPH_FEATURES } from "./spaces/nasbench101/encodings.js";
export { Nasbench101Space, type Nb101Cell } from "./spaces/nasbench101/space.js";
export { Nasbench201Space, type Nb201Cell } from "./spaces/nasbench201/space.js";
export { parseArch, formatArch, OPERATIONS as NASBENCH201_OPERATIONS } from "./spaces/nasbench201/cell.js";
export { readNasbench201Table, DATASETS as NASBENCH201_DATASETS, type Nasbench201Table } from "./spaces/nasbench201/table.js";
export { BitStringSpace, bitStringProblem, type Bits } from "./spaces/synthetic.js";

// Options: every component declares its options once (type, default, allowed values, help).
export { resolveOptions, describeOptions, formatOptionsHelp, sourceOf, type OptionSchema, type OptionSource, type Resolved } from "./options/schema.js";

// Predictors (`predictor list|eval`): a new predictor is a factory in the registry.
export type { Predictor, Prediction, FitOptions, PredictorFactory } from "./predictors/types.js";
export { PREDICTORS, createPredictor } from "./predictors/registry.js";
export { evaluatePredictor, uniformSample, type PredictorEvaluation, type EvaluationRequest } from "./predictors/evaluation.js";
export { scoreAll, WorkerScorer } from "./predictors/scoring.js";

// Candidate pools and the search harness (`search`).
export type { CandidatePool, PoolContext, PoolFactory } from "./pools/types.js";
export { POOLS, POOL_NAMES, createPool, poolFactory } from "./pools/registry.js";
export {
  METHODS,
  METHOD_DEFINITIONS,
  runSearch,
  runEvaluatedSearch,
  resolveMethodOptions,
  type ResolvedOptions,
  type SearchRequest,
  type EvaluatedSearchRequest,
} from "./search/methods.js";
export { runInDirectory, type RunInDirectoryRequest } from "./search/evaluatedRun.js";
export { EVALUATION_SETTINGS, resolveSettings, type EvaluationSettings, type GivenEvaluationSettings } from "./evaluation/settings.js";
export { readEnqueued } from "./search/enqueue.js";
export { bestQuery, type RunRecord, type EvaluationRunRecord, type EvaluationRecord } from "./search/record.js";

// Evaluations (`search --evaluate`): an async evaluation function, or a backend (a command, a table, later a queue).
export type { EvaluateFunction, EvaluationContext, EvaluationResult, QueryRecord } from "./evaluation/evaluator.js";
export { functionBackend, oracleBackend, type EvaluationBackend, type EvaluationJob, type AttemptReport, type AttemptResult } from "./evaluation/backend.js";
export { type Failure, type FailureKind } from "./evaluation/failures.js";

// The study (`study`, `report`).
export { PRESET_NAMES, loadPreset } from "./study/presets.js";
export { parsePreset, type StudyPreset, type ConfigurationSpec } from "./study/preset.js";
export { runStudy } from "./study/runner.js";
export type { StudyOptions, StudyOutcome } from "./study/studyOptions.js";
export { writeReport, type ReportOptions, type WrittenReport } from "./report/report.js";
export { analyseStudy, type StudyAnalysis } from "./statistics/analysis.js";

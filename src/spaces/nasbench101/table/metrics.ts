/**
 * The named metrics a search can optimise or report, and where each comes from.
 *
 * The shared data has only test accuracy (mean over the 3 training repeats, and repeat 0); the
 * validation metrics and training time exist only in a table imported from the official file.
 */
import type { MetricColumn } from "./tableFormat.js";

export const METRICS = {
  "test-mean": { column: "test_accuracy_mean_108", label: "mean test accuracy over the 3 repeats (108 epochs)" },
  "test-repeat0": { column: "test_accuracy_repeat0_108", label: "test accuracy of repeat 0 (108 epochs): one noisy training run" },
  "validation-mean": { column: "validation_accuracy_mean_108", label: "mean validation accuracy over the 3 repeats (108 epochs)" },
  "validation-repeat0": { column: "validation_accuracy_repeat0_108", label: "validation accuracy of repeat 0 (108 epochs)" },
  "train-mean": { column: "train_accuracy_mean_108", label: "mean train accuracy over the 3 repeats (108 epochs)" },
  "training-time-mean": { column: "training_time_mean_108", label: "mean training time in seconds over the 3 repeats (108 epochs)" },
} as const satisfies Record<string, { column: MetricColumn; label: string }>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** Metrics that are accuracies (higher is better) and so can be a search objective. */
export const OBJECTIVES = ["test-mean", "test-repeat0", "validation-mean", "validation-repeat0"] as const satisfies readonly MetricName[];
export type Objective = (typeof OBJECTIVES)[number];
export const DEFAULT_OBJECTIVE: Objective = "test-mean";

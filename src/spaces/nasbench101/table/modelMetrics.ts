/**
 * The `ModelMetrics` protobuf message of the official NAS-Bench-101 records (model_metrics.proto
 * in google-research/nasbench): the training results of one cell, one budget, one repeat.
 *
 * Decoded with protobufjs by reflection from the schema below rather than hand-written wire
 * parsing: it is the standard, well-kept JavaScript protobuf implementation, it validates wire
 * types and lengths for us, and reflection needs no code-generation step in the build. The
 * schema is transcribed field for field. Each message is pinned to proto2 on purpose: without it
 * protobufjs decodes with implicit presence and drops explicit zeros (the official
 * evaluation_data[0] has current_epoch = 0 and training_time = 0), so "absent" and "0" could not
 * be told apart.
 */
import protobuf from "protobufjs";

const SCHEMA = {
  nested: {
    nasbench: {
      nested: {
        EvaluationData: {
          edition: "proto2",
          fields: {
            current_epoch: { type: "double", id: 1 },
            training_time: { type: "double", id: 2 },
            train_accuracy: { type: "double", id: 3 },
            validation_accuracy: { type: "double", id: 4 },
            test_accuracy: { type: "double", id: 5 },
            checkpoint_path: { type: "string", id: 6 },
          },
        },
        ModelMetrics: {
          edition: "proto2",
          fields: {
            evaluation_data: { rule: "repeated", type: "EvaluationData", id: 1 },
            trainable_parameters: { type: "int32", id: 2 },
            total_time: { type: "double", id: 3 },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(SCHEMA);
const ModelMetricsType = root.lookupType("nasbench.ModelMetrics");

/** One evaluation during training; NAS-Bench-101 stores three: start, halfway, end. */
export interface EvaluationData {
  currentEpoch?: number;
  trainingTime?: number;
  trainAccuracy?: number;
  validationAccuracy?: number;
  testAccuracy?: number;
  checkpointPath?: string;
}

export interface ModelMetrics {
  evaluationData: EvaluationData[];
  trainableParameters?: number;
  totalTime?: number;
}

/** Proto field name of each {@link EvaluationData} property. */
const EVALUATION_FIELDS = {
  currentEpoch: "current_epoch",
  trainingTime: "training_time",
  trainAccuracy: "train_accuracy",
  validationAccuracy: "validation_accuracy",
  testAccuracy: "test_accuracy",
  checkpointPath: "checkpoint_path",
} as const satisfies Record<keyof EvaluationData, string>;

type Raw = Record<string, unknown>;

/**
 * Decodes a serialised ModelMetrics. Throws a plain Error (with protobufjs's reason) when the
 * bytes are not a valid message; callers add where the bytes came from.
 */
export function decodeModelMetrics(bytes: Uint8Array): ModelMetrics {
  // decode() leaves absent fields on the prototype (as defaults), so own properties are exactly
  // the fields present on the wire: that is how "optional" is told from "zero".
  const message = ModelMetricsType.decode(bytes) as unknown as Raw;
  const evaluations = Object.hasOwn(message, "evaluation_data") ? (message.evaluation_data as Raw[]) : [];
  const result: ModelMetrics = {
    evaluationData: evaluations.map((raw) => {
      const evaluation: EvaluationData = {};
      for (const [key, field] of Object.entries(EVALUATION_FIELDS)) {
        if (Object.hasOwn(raw, field)) (evaluation as Raw)[key] = raw[field];
      }
      return evaluation;
    }),
  };
  if (Object.hasOwn(message, "trainable_parameters")) result.trainableParameters = message.trainable_parameters as number;
  if (Object.hasOwn(message, "total_time")) result.totalTime = message.total_time as number;
  return result;
}

/** Serialises a ModelMetrics (for writing files in the official format, e.g. test fixtures). */
export function encodeModelMetrics(metrics: ModelMetrics): Uint8Array {
  const message: Raw = {
    evaluation_data: metrics.evaluationData.map((evaluation) => {
      const raw: Raw = {};
      for (const [key, field] of Object.entries(EVALUATION_FIELDS)) {
        const value = (evaluation as Raw)[key];
        if (value !== undefined) raw[field] = value;
      }
      return raw;
    }),
  };
  if (metrics.trainableParameters !== undefined) message.trainable_parameters = metrics.trainableParameters;
  if (metrics.totalTime !== undefined) message.total_time = metrics.totalTime;
  return ModelMetricsType.encode(ModelMetricsType.fromObject(message)).finish();
}

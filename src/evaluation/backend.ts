/**
 * The evaluation backend: the one door between a search and what evaluates its architectures.
 * A search submits attempts (`run`) and gets each one's result or failure back as a promise; how
 * and where the attempt runs is the backend's business: in this process (an evaluation function,
 * a benchmark table), as a child process (commandBackend.ts), or, later, through a queue to
 * workers on other machines. A failed evaluation is a report, never a rejection: a rejection is a
 * fault of the backend itself.
 */
import { hostname } from "node:os";
import type { Oracle } from "../spaces/types.js";
import { setLongTimeout } from "../util/timers.js";
import type { EvaluateFunction } from "./evaluator.js";
import type { AttemptSettings } from "./settings.js";
import { looksTransient, parseResult, type Failure } from "./failures.js";

export interface EvaluationJob<A> {
  readonly arch: A;
  readonly key: string;
  /** The architecture's JSON form (what the user's command receives). */
  readonly description: unknown;
  readonly seed: number;
  readonly attempt: number;
  /** A name for the attempt's files: unique in the run, the same on resume. */
  readonly id: string;
  /** The run's settings that travel with each attempt (evaluation/settings.ts, ATTEMPT_SETTINGS). */
  readonly settings?: AttemptSettings;
}

export type AttemptResult<M> = { readonly ok: true; readonly value: number; readonly metrics: M } | { readonly ok: false; readonly failure: Failure };

export interface AttemptReport<M> {
  readonly result: AttemptResult<M>;
  /** ISO times. */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly host: string;
  /** The process that ran the attempt. */
  readonly pid: number;
  /** The attempt's log files, relative to the run directory. */
  readonly logs?: readonly string[];
}

export interface EvaluationBackend<A, M> {
  /** Runs one attempt; resolves with its report. */
  run(job: EvaluationJob<A>): Promise<AttemptReport<M>>;
  /** Stops every attempt in progress: each resolves as interrupted. */
  interrupt(): Promise<void>;
}

/** Runs `attempt` with its start and end time stamped, in this process. */
async function stamped<M>(attempt: () => Promise<AttemptResult<M>>): Promise<AttemptReport<M>> {
  const startedAt = new Date().toISOString();
  const result = await attempt();
  return { result, startedAt, endedAt: new Date().toISOString(), host: hostname(), pid: process.pid };
}

/** A benchmark table as a backend: its oracle answers at once; the truth (and test accuracy) are the metrics. */
export function oracleBackend<A>(oracle: Oracle<A>): EvaluationBackend<A, { readonly truth: number; readonly test?: number }> {
  return {
    run: ({ arch }) =>
      stamped(async () => {
        const { value, truth, test } = oracle.observe(arch);
        return { ok: true, value, metrics: test === undefined ? { truth } : { truth, test } };
      }),
    interrupt: async () => {},
  };
}

/**
 * An evaluation function as a backend (the library form). `timeoutMs` aborts the attempt's signal
 * and reports it as timed out; an interruption aborts every attempt in progress.
 */
export function functionBackend<A>(evaluate: EvaluateFunction<A>, options: { readonly timeoutMs?: number; readonly runDir?: string } = {}): EvaluationBackend<A, Record<string, unknown>> {
  const running = new Set<(failure: Failure) => void>();
  return {
    run: (job) =>
      stamped(async () => {
        const controller = new AbortController();
        let stop!: (failure: Failure) => void;
        const stopped = new Promise<Failure>((resolve) => (stop = resolve));
        running.add(stop);
        const cancelTimer =
          options.timeoutMs === undefined ? undefined : setLongTimeout(() => stop({ kind: "timeout", message: `timed out after ${options.timeoutMs! / 1000} s`, transient: true }), options.timeoutMs);
        try {
          const attempt = evaluate(job.arch, { key: job.key, json: job.description, attempt: job.attempt, seed: job.seed, signal: controller.signal, ...(options.runDir === undefined ? {} : { runDir: options.runDir }) }).then(
            (value) => {
              const parsed = parseResult(value, "the evaluation's result");
              return parsed.ok ? parsed : { kind: parsed.kind, message: parsed.message, transient: false };
            },
            (error: unknown) => {
              const message = error instanceof Error ? error.message : String(error);
              return { kind: "error" as const, message, transient: looksTransient("error", message) };
            },
          );
          const outcome = await Promise.race([attempt, stopped]);
          if ("ok" in outcome) return { ok: true, value: outcome.value, metrics: outcome.metrics };
          controller.abort();
          return { ok: false, failure: outcome };
        } finally {
          cancelTimer?.();
          running.delete(stop);
        }
      }),
    interrupt: async () => {
      for (const stop of running) stop({ kind: "interrupted", message: "interrupted", transient: false });
    },
  };
}

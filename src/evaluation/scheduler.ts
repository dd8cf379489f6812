/**
 * The scheduler between a search and its evaluation backend: up to `parallel` attempts in flight
 * and never more, a budget of attempts, retries of failures that look transient, the journal, and
 * the reuse of a dead controller's finished attempts.
 *
 * - The budget counts attempts: every finished attempt, failed or not, retries included, spends
 *   one unit (a crash after hours of training costs the hours). An attempt stopped because the
 *   run was interrupted is not finished: it spends nothing and runs again on resume.
 * - A search launches evaluations (architectures); an evaluation is one attempt, or more when a
 *   failure looks transient (failures.ts) and `retries`, the budget and the run allow another.
 *   Its outcome is its last attempt's: a result, or a failure the search goes on without.
 * - Every finished attempt is appended to the journal, flushed, before its outcome is used, and
 *   an attempt found in the journal of an earlier controller (`replay`, by key and attempt
 *   number) is reused, never run again.
 *
 * Determinism: which architecture is launched n-th is a decision of the search method, made
 * from its seeded generator and outcomes read in launch order (search/context.ts), never from
 * the order in which attempts happen to finish; the scheduler only decides when. So a run, and a
 * resumed run, launch the same architectures in the same order whatever the timing, and with an
 * evaluator that does not fail the run ends exactly where an uninterrupted one would. With
 * failures, retries spend budget when they happen, so where the budget ends the run may depend on
 * timing; the decisions before it do not.
 */
import { createHash } from "node:crypto";
import type { AttemptReport, EvaluationBackend, EvaluationJob } from "./backend.js";
import type { Failure } from "./failures.js";
import { JOURNAL_VERSION, type JournalEntry } from "./journal.js";

/** Why the search chose an architecture, for the record. */
export interface LaunchDetails {
  /** Search iteration that chose it (0 for initial samples). */
  readonly iteration: number;
  /** The predictor's mean (and deviation) for it, when a predictor chose it. */
  readonly score?: number;
  readonly scoreStd?: number;
}

export type Outcome<M> =
  /** `value` is what the search optimises (the result's value, negated when minimising); `raw` the result's own. */
  | { readonly ok: true; readonly value: number; readonly raw: number; readonly metrics: M; readonly attempts: number }
  | { readonly ok: false; readonly failure: Failure; readonly attempts: number };

export interface Launch<A, M> {
  /** 1-based position in launch order. */
  readonly n: number;
  readonly arch: A;
  readonly key: string;
  readonly details: LaunchDetails;
  /** Its finished attempts (reused ones included), in order. */
  readonly attempts: AttemptReport<M>[];
  /** Set when the evaluation is over. */
  outcome?: Outcome<M>;
  readonly settled: Promise<Outcome<M>>;
}

export interface SchedulerOptions<A, M> {
  readonly backend: EvaluationBackend<A, M>;
  /** Attempts to spend. */
  readonly budget: number;
  /** Attempts in flight at most. */
  readonly parallel: number;
  /** Retries of an evaluation whose failure looks transient. */
  readonly retries: number;
  /** The run's seed: each architecture's evaluation seed derives from it and the key. */
  readonly seed: number;
  /** The search minimises the results' values (it sees them negated). */
  readonly minimize?: boolean;
  readonly keyOf: (arch: A) => string;
  readonly describe: (arch: A) => unknown;
  /** Attempts an earlier controller finished, by key (journal.ts, attemptsByKey). */
  readonly replay?: ReadonlyMap<string, readonly JournalEntry[]>;
  /** Where finished attempts are appended before the search sees them. */
  readonly journal?: { append(entry: JournalEntry): void };
  /** Called whenever an attempt starts or finishes (progress). */
  readonly onChange?: () => void;
}

/** The seed of an architecture's evaluation: the same for every attempt and on resume. */
export function evaluationSeed(runSeed: number, key: string): number {
  return createHash("sha256").update(`${runSeed}:${key}`).digest().readUInt32BE(0);
}

function reportOf<M>(entry: JournalEntry): AttemptReport<M> {
  return {
    result: entry.result === undefined ? { ok: false, failure: entry.failure! } : { ok: true, value: entry.result.value, metrics: entry.result.metrics as M },
    startedAt: entry.startedAt,
    endedAt: entry.endedAt,
    host: entry.host,
    pid: entry.pid,
    ...(entry.logs === undefined ? {} : { logs: entry.logs }),
  };
}

export class Scheduler<A, M> {
  readonly launches: Launch<A, M>[] = [];
  /** Attempts started (reused ones included): what the budget counts. */
  attemptsStarted = 0;
  attemptsFinished = 0;
  attemptsFailed = 0;
  /** Attempts taken from the journal instead of being run. */
  attemptsReused = 0;
  /** Attempts this scheduler ran to their end, and the time they took. */
  attemptsRun = 0;
  runMs = 0;
  /** Attempts running now, and the most that ever ran at once. */
  running = 0;
  peakRunning = 0;
  stopping = false;
  /**
   * Set when the search found no architecture left to launch (search/context.ts): the distinct
   * architectures launched by then. The search then ends before its budget, without error.
   */
  exhaustedAfter: number | undefined;
  /** Settles when the run stops (`stop`): what a search computes while it waits may be abandoned then. */
  readonly stopped: Promise<void>;
  private readonly byKey = new Map<string, Launch<A, M>>();
  private waiters: (() => void)[] = [];
  private fault: unknown;
  private markStopped!: () => void;

  constructor(private readonly options: SchedulerOptions<A, M>) {
    this.stopped = new Promise((resolve) => (this.markStopped = resolve));
  }

  get budget(): number {
    return this.options.budget;
  }

  get parallel(): number {
    return this.options.parallel;
  }

  get remaining(): number {
    return this.options.budget - this.attemptsStarted;
  }

  launchOf(key: string): Launch<A, M> | undefined {
    return this.byKey.get(key);
  }

  /**
   * How many launches (the first ones) the next decision of a search waits for: all but the
   * `parallel` - 1 most recent, which may still run. With one in flight: all of them, the
   * sequential loop.
   */
  get horizon(): number {
    return Math.max(0, this.launches.length - this.options.parallel + 1);
  }

  /** Waits for a free slot; false when nothing more may be launched (budget spent, run stopping). */
  async slot(): Promise<boolean> {
    while (this.open && this.running >= this.options.parallel) await this.changed();
    return this.open;
  }

  private get open(): boolean {
    return !this.stopping && this.fault === undefined && this.remaining > 0;
  }

  /** Launches the evaluation of an architecture not launched before; call after `slot()` said yes. */
  launch(arch: A, details: LaunchDetails): Launch<A, M> {
    const key = this.options.keyOf(arch);
    if (this.byKey.has(key)) throw new Error(`internal: ${key} launched twice`);
    if (!this.open) throw new Error("internal: launch without a slot");
    let settle!: (outcome: Outcome<M>) => void;
    const settled = new Promise<Outcome<M>>((resolve) => (settle = resolve));
    const launch: Launch<A, M> = { n: this.launches.length + 1, arch, key, details, attempts: [], settled };
    this.launches.push(launch);
    this.byKey.set(key, launch);
    this.attemptsStarted++;
    this.evaluate(launch).then(
      (outcome) => {
        launch.outcome = outcome;
        settle(outcome);
        this.notify();
      },
      (error: unknown) => {
        // A fault of the backend, not of the evaluation: the run stops and drain() rethrows it.
        this.fault ??= error;
        settle({ ok: false, failure: { kind: "error", message: String(error), transient: false }, attempts: launch.attempts.length });
        this.notify();
      },
    );
    return launch;
  }

  /** Waits until every launch is over; rethrows a backend fault. */
  async drain(): Promise<void> {
    await Promise.all(this.launches.map((launch) => launch.settled));
    if (this.fault !== undefined) throw this.fault;
  }

  /** The search has no new architecture to launch: it ends, and the record says so. */
  exhaust(): void {
    this.exhaustedAfter ??= this.launches.length;
  }

  /** Launches nothing more and retries nothing more; what runs goes on. */
  stop(): void {
    this.stopping = true;
    this.markStopped();
    this.notify();
  }

  /** Stops launching and stops what runs (its attempts end as interrupted). */
  async interrupt(): Promise<void> {
    this.stop();
    await this.options.backend.interrupt();
  }

  private async evaluate(launch: Launch<A, M>): Promise<Outcome<M>> {
    const { backend, journal, retries, minimize } = this.options;
    const reusable = this.options.replay?.get(launch.key) ?? [];
    const description = this.options.describe(launch.arch);
    const id = `${String(launch.n).padStart(4, "0")}-${createHash("sha256").update(launch.key).digest("hex").slice(0, 10)}`;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) this.attemptsStarted++;
      const earlier = reusable.find((entry) => entry.attempt === attempt);
      let report: AttemptReport<M>;
      let final: boolean;
      if (earlier !== undefined) {
        report = reportOf<M>(earlier);
        final = earlier.final;
        this.attemptsReused++;
      } else {
        const job: EvaluationJob<A> = { arch: launch.arch, key: launch.key, description, seed: evaluationSeed(this.options.seed, launch.key), attempt, id: `${id}-a${attempt}` };
        this.running++;
        this.peakRunning = Math.max(this.peakRunning, this.running);
        this.notify();
        try {
          report = await backend.run(job);
        } finally {
          this.running--;
        }
        const failure = report.result.ok ? undefined : report.result.failure;
        if (failure?.kind === "interrupted") {
          this.attemptsStarted--;
          return { ok: false, failure, attempts: attempt - 1 };
        }
        this.attemptsRun++;
        this.runMs += Date.parse(report.endedAt) - Date.parse(report.startedAt);
        final = failure === undefined || !(failure.transient && attempt <= retries && this.open);
        journal?.append({
          v: JOURNAL_VERSION,
          n: launch.n,
          key: launch.key,
          arch: description,
          attempt,
          startedAt: report.startedAt,
          endedAt: report.endedAt,
          host: report.host,
          pid: report.pid,
          ...(report.result.ok ? { result: { value: report.result.value, metrics: report.result.metrics as Record<string, unknown> } } : { failure: report.result.failure }),
          final,
          ...(report.logs === undefined ? {} : { logs: report.logs }),
        });
      }
      launch.attempts.push(report);
      this.attemptsFinished++;
      const result = report.result;
      if (result.ok) return { ok: true, value: minimize ? -result.value : result.value, raw: result.value, metrics: result.metrics, attempts: attempt };
      this.attemptsFailed++;
      // A retry the journal holds is reused even when this controller would not start it now.
      const retry = !final && (reusable.some((entry) => entry.attempt === attempt + 1) || this.open);
      if (!retry) return { ok: false, failure: result.failure, attempts: attempt };
    }
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
    this.options.onChange?.();
  }
}

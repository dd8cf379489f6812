/**
 * What a study is asked to do and what it reports, shared by the runner (runner.ts) and the
 * study of a space file (evaluationJobs.ts), so that neither imports the other's types.
 */
export interface StudyOptions {
  readonly workers?: number;
  /** Data location (see benchmark/locate.ts), passed to the workers. */
  readonly data?: string;
  /** Called once at the start with what is already done, then after every finished run. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with a message for each journal line dropped on resume. */
  readonly onWarning?: (message: string) => void;
  /** A study of a space file: when aborted, launch nothing more; when `interrupt` is, stop what runs. */
  readonly stop?: AbortSignal;
  readonly interrupt?: AbortSignal;
  /** A study of a space file evaluated by prednas workers through this queue (study --queue URL). */
  readonly queue?: string;
}

export interface StudyOutcome {
  readonly total: number;
  /** Runs found in the journal when the study started. */
  readonly resumed: number;
  /** Runs done by this call. */
  readonly ran: number;
  /** A study of a space file: its finished runs' evaluations (resumed runs included), and how many failed. */
  readonly evaluations?: { readonly total: number; readonly failed: number };
}

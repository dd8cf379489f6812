/**
 * `prednas worker --queue URL --evaluate CMD`: a worker on a machine that trains (queue/worker.ts).
 * It runs until stopped: the first SIGTERM or SIGINT takes no more jobs and waits for the
 * evaluations running, a second stops them and hands their jobs back to the queue; it then exits 0.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { DEFAULT_KILL_GRACE_SECONDS, MAX_PARALLEL, MIN_EVALUATION_TIMEOUT_SECONDS } from "../evaluation/settings.js";
import { hideCredentialsFromTitle, parseQueueUrl, PASSWORD_VARIABLE, scrub } from "../queue/connection.js";
import { startWorker } from "../queue/worker.js";
import { integerOption, numberOption } from "./io.js";
import { handleInterruptions } from "./signals.js";

/**
 * How long a dead worker's job waits before another worker takes it, unless told otherwise: its
 * lock lasts this long and the live workers look for expired locks twice as often, so the job
 * runs again within about twice this (measured in docs/many-machines.md), soon enough for a user
 * watching.
 * A live worker renews its locks every half of it from its event loop, which an evaluation (a
 * child process) does not block.
 */
export const DEFAULT_STALL_TIMEOUT_SECONDS = 5;

interface WorkerFlags {
  queue: string;
  evaluate: string;
  concurrency: number;
  evaluationTimeout?: number;
  killGrace?: number;
  workDir?: string;
  stallTimeout: number;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("run evaluations from the queue in Redis with this machine's training command, until stopped (SIGTERM)")
    .requiredOption("--queue <URL>", `the Redis: redis://[user:password@]host:port[/db], rediss:// for TLS (the password may come from ${PASSWORD_VARIABLE} instead)`)
    .requiredOption("--evaluate <CMD>", "this machine's training command (as for prednas search --evaluate: the architecture as one JSON line on its standard input, its last line of output a JSON object with a \"value\")")
    .option("--concurrency <N>", "evaluations at once on this worker", integerOption(1, MAX_PARALLEL), 1)
    .option("--evaluation-timeout <SEC>", "stop an evaluation running longer (its whole process group)", numberOption(MIN_EVALUATION_TIMEOUT_SECONDS))
    .option("--kill-grace <SEC>", `between SIGTERM and SIGKILL when an evaluation is stopped (default ${DEFAULT_KILL_GRACE_SECONDS})`, numberOption(0))
    .option("--work-dir <DIR>", "the worker's logs and running evaluations (one worker per directory; default: the first free slot of the user's state directory, e.g. ~/.local/share/prednas/workers/slot-0)")
    .option("--stall-timeout <SEC>", "after this long without a sign of life from a worker, its jobs go to another worker", numberOption(0.5), DEFAULT_STALL_TIMEOUT_SECONDS)
    .action(async (flags: WorkerFlags) => {
      hideCredentialsFromTitle();
      const location = parseQueueUrl(flags.queue);
      // Timestamped: a worker's log is read later, beside the controller's and other workers'.
      const log = (message: string) => void process.stderr.write(`${new Date().toISOString()} prednas worker: ${scrub(message, location)}\n`);
      const interruption = handleInterruptions(log);
      try {
        const worker = await startWorker({
          location,
          command: flags.evaluate,
          concurrency: flags.concurrency,
          graceMs: (flags.killGrace ?? DEFAULT_KILL_GRACE_SECONDS) * 1000,
          ...(flags.workDir === undefined ? {} : { workDir: resolve(flags.workDir) }),
          stallMs: flags.stallTimeout * 1000,
          onLog: log,
          signal: interruption.stop,
          ...(flags.evaluationTimeout === undefined ? {} : { timeoutMs: flags.evaluationTimeout * 1000 }),
        });
        interruption.interrupt.addEventListener("abort", () => void worker.interrupt());
        if (!interruption.stop.aborted) await new Promise((done) => interruption.stop.addEventListener("abort", done));
        await worker.stop();
        log(`stopped after ${worker.finished} evaluations`);
        // A client still reconnecting to a Redis that is gone must not keep the process alive.
        setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
      } finally {
        interruption.dispose();
      }
    });
}

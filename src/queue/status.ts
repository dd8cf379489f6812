/**
 * What `prednas queue status` shows: each registered run's jobs by state (BullMQ's counts), and
 * the workers that announced themselves within the last WORKER_TTL_SECONDS.
 */
import { Queue } from "bullmq";
import type { Connections } from "./connection.js";
import { isQueueName, QUEUE_NAME_RULE, RUNS_KEY, WORKER_PREFIX, type RunEntry, type WorkerEntry } from "./protocol.js";

export interface RunStatus extends Partial<RunEntry> {
  readonly queue: string;
  readonly waiting: number;
  readonly running: number;
  readonly delayed: number;
  readonly completed: number;
  readonly failed: number;
}

export interface QueueStatus {
  readonly runs: readonly RunStatus[];
  /** Names registered as runs that are not queue names: the workers refuse them. */
  readonly refused: readonly string[];
  readonly workers: readonly (WorkerEntry & { readonly id: string })[];
}

function parsed<T>(text: string | null): Partial<T> {
  try {
    return text === null ? {} : (JSON.parse(text) as Partial<T>);
  } catch {
    return {};
  }
}

export async function queueStatus(connections: Connections): Promise<QueueStatus> {
  const redis = connections.client();
  const registered = await redis.hgetall(RUNS_KEY);
  const runs: RunStatus[] = [];
  const refused: string[] = [];
  for (const [name, entry] of Object.entries(registered).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isQueueName(name)) {
      refused.push(name);
      continue;
    }
    const queue = new Queue(name, { connection: redis });
    const counts = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed");
    await queue.close();
    runs.push({
      queue: name,
      ...parsed<RunEntry>(entry),
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      running: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    });
  }
  const workers: (WorkerEntry & { id: string })[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${WORKER_PREFIX}*`, "COUNT", 200);
    cursor = next;
    for (const key of keys) {
      const entry = parsed<WorkerEntry>(await redis.get(key));
      if (entry.host !== undefined) workers.push({ ...(entry as WorkerEntry), id: key.slice(WORKER_PREFIX.length) });
    }
  } while (cursor !== "0");
  workers.sort((a, b) => a.id.localeCompare(b.id));
  return { runs, refused, workers };
}

export function formatStatus(status: QueueStatus, display: string): string {
  const lines = [`queue ${display}`, "", `runs (${status.runs.length})`];
  if (status.runs.length === 0) lines.push("  none registered");
  for (const run of status.runs) {
    lines.push(`  ${run.queue}  ${run.runDir ?? "?"} (controller ${run.pid ?? "?"} on ${run.host ?? "?"}, since ${run.since ?? "?"})`);
    lines.push(`    waiting ${run.waiting}  running ${run.running}  retrying ${run.delayed}  completed ${run.completed}  failed ${run.failed}`);
  }
  if (status.refused.length > 0) lines.push(`  refused by the workers, not queue names (${QUEUE_NAME_RULE}): ${status.refused.map((name) => JSON.stringify(name)).join(", ")}`);
  lines.push("", `workers seen in the last seconds (${status.workers.length})`);
  if (status.workers.length === 0) lines.push("  none");
  for (const worker of status.workers) {
    lines.push(`  ${worker.id}  running ${worker.running} of ${worker.concurrency}, ${worker.finished} finished, since ${worker.since}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A small pool of worker threads running one task module, used wherever prednas spreads work
 * over the cores (enumerating the space, scoring cells, running a study).
 *
 * A task module calls {@link serveTasks} with its handler; the main thread creates a
 * {@link WorkerPool} on that module's URL and awaits `run(task)`. Results come back in the
 * order of the calls that asked for them, whatever order the workers finish in.
 */
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, type Transferable } from "node:worker_threads";
import { deserializeError, serializeError, type SerializedError } from "./errors.js";

interface Request<T> {
  readonly id: number;
  readonly task: T;
}

type Reply<R> = { readonly id: number; readonly result: R } | { readonly id: number; readonly error: SerializedError };

/** The number of workers to use by default: one per core. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The URL of a task module that sits beside `importMetaUrl`, with the same extension: `.js` in
 * the built package, `.ts` when the sources run directly (tests), where the worker then needs
 * the tsx loader.
 */
export function siblingModule(importMetaUrl: string, name: string): URL {
  const extension = importMetaUrl.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${name}${extension}`, importMetaUrl);
}

/**
 * Starts a worker on a task module. A `.ts` module (sources run directly, as in the tests) is
 * loaded through tsx's loader, registered inside the worker since workers do not inherit it.
 */
function startWorker(moduleUrl: URL): Worker {
  if (!moduleUrl.pathname.endsWith(".ts")) return new Worker(moduleUrl);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class WorkerPool<Task, Result> {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: { request: Request<Task>; transfer: readonly Transferable[] }[] = [];
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void; worker?: Worker }>();
  private nextId = 0;
  private closed = false;

  constructor(
    moduleUrl: URL,
    readonly size = defaultWorkerCount(),
  ) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker(moduleUrl);
      worker.on("message", (reply: Reply<Result>) => this.settle(worker, reply));
      worker.on("error", (error) => this.fail(worker, error));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(worker, new Error(`a worker thread exited with code ${code}`));
      });
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  /** Runs one task on the next free worker. */
  run(task: Task, transfer: readonly Transferable[] = []): Promise<Result> {
    if (this.closed) return Promise.reject(new Error("the worker pool is closed"));
    const id = this.nextId++;
    const promise = new Promise<Result>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ request: { id, task }, transfer });
    this.dispatch();
    return promise;
  }

  /** Runs every task and returns the results in task order. */
  runAll(tasks: readonly Task[]): Promise<Result[]> {
    return Promise.all(tasks.map((task) => this.run(task)));
  }

  /** Stops the workers; tasks not finished yet are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error("the worker pool was closed before the task finished");
    for (const entry of this.pending.values()) entry.reject(stopped);
    this.pending.clear();
    this.queue.length = 0;
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { request, transfer } = this.queue.shift()!;
      this.pending.get(request.id)!.worker = worker;
      worker.postMessage(request, transfer);
    }
  }

  private settle(worker: Worker, reply: Reply<Result>): void {
    const entry = this.pending.get(reply.id);
    if (entry === undefined) return;
    this.pending.delete(reply.id);
    this.idle.push(worker);
    if ("error" in reply) {
      entry.reject(deserializeError(reply.error));
    } else {
      entry.resolve(reply.result);
    }
    this.dispatch();
  }

  /** A worker died: its task fails, and so does the queue once no worker is left. */
  private fail(worker: Worker, error: Error): void {
    for (const [id, entry] of this.pending) {
      if (entry.worker === worker) {
        this.pending.delete(id);
        entry.reject(error);
      }
    }
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    const at = this.all.indexOf(worker);
    if (at >= 0) this.all.splice(at, 1);
    if (this.all.length === 0) {
      for (const { request } of this.queue.splice(0)) {
        this.pending.get(request.id)?.reject(error);
        this.pending.delete(request.id);
      }
    }
  }
}

/**
 * Serves tasks in a worker thread: each message is a task, each reply its result (with the
 * buffers `transferOf(result)` lists moved rather than copied) or the error it threw, which
 * reaches the caller with its class when it is a user error (InputError, PrednasError).
 */
export function serveTasks<Task, Result>(
  handler: (task: Task) => Result | Promise<Result>,
  transferOf: (result: Result) => Transferable[] = () => [],
): void {
  if (isMainThread || parentPort === null) throw new Error("serveTasks() must run in a worker thread");
  const port = parentPort;
  port.on("message", async (request: Request<Task>) => {
    try {
      const result = await handler(request.task);
      port.postMessage({ id: request.id, result } satisfies Reply<Result>, transferOf(result));
    } catch (caught) {
      port.postMessage({ id: request.id, error: serializeError(caught) } satisfies Reply<Result>);
    }
  });
}

/**
 * What every search method runs in: the space, the seeded generator, and the scheduler that
 * evaluates what the method launches (evaluation/scheduler.ts), up to `parallel` at once.
 *
 * Methods are asynchronous but deterministic: a method reads outcomes only in launch order and
 * only up to a point fixed by its own launches (`Scheduler.horizon`: every launch but the
 * `parallel` - 1 most recent, or a specific launch it waits for), never "whatever has finished".
 * Its decisions are then the same whatever the timing, and with one evaluation in flight they
 * are exactly the sequential loop's.
 */
import type { MersenneTwister } from "../util/rng.js";
import type { SearchSpace } from "../spaces/types.js";
import type { Launch, Scheduler } from "../evaluation/scheduler.js";

export interface SearchContext<A> {
  readonly space: SearchSpace<A>;
  readonly evaluations: Scheduler<A, unknown>;
  readonly rng: MersenneTwister;
}

export type SearchLaunch<A> = Launch<A, unknown>;

/** Uniform draws that find only launched architectures, per architecture asked for, before the space counts as exhausted. */
const DRAWS_PER_ARCHITECTURE = 1000;

/**
 * Lets the event loop run (signals, evaluations that finish) inside a long run of draws that
 * await nothing but settled promises, every `every` steps; timing only, never a decision.
 */
export async function breathe(step: number, every = 1000): Promise<void> {
  if (step % every === 0) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Whether the search has nothing left to launch: it said so (`Scheduler.exhaust`), or every
 * architecture of a space of known size has been launched. Every method's loop ends on it, so
 * that a search whose space runs out before its budget ends instead of drawing forever.
 */
export function exhausted<A>(context: SearchContext<A>): boolean {
  const { space, evaluations } = context;
  if (evaluations.exhaustedAfter !== undefined) return true;
  const size = space.size ?? space.enumeration?.size;
  if (size === undefined || evaluations.launches.length < size) return false;
  evaluations.exhaust();
  return true;
}

/**
 * Launches `count` architectures drawn uniformly among those not launched yet (fewer if the
 * budget ends first or the run stops). Every method starts this way, so that for one seed all
 * methods start from the same architectures. When every architecture is launched, or (a space of
 * unknown size) 1,000 draws per architecture asked for find none that is not, the space is
 * exhausted (`exhausted`).
 */
export async function launchUniform<A>(context: SearchContext<A>, count: number, iteration = 0): Promise<SearchLaunch<A>[]> {
  const { space, evaluations, rng } = context;
  const drawn: SearchLaunch<A>[] = [];
  let attempts = 0;
  while (drawn.length < count && !exhausted(context) && (await evaluations.slot())) {
    const arch = space.sampleUniform(rng);
    if (evaluations.launchOf(space.key(arch)) !== undefined) {
      if (++attempts > DRAWS_PER_ARCHITECTURE * (count + 1)) evaluations.exhaust();
      await breathe(attempts);
      continue;
    }
    drawn.push(evaluations.launch(arch, { iteration }));
  }
  return drawn;
}

/**
 * What `work` (a fit, a pool's scoring) gives, or undefined when the run stops first: a stopped
 * run waits only for its evaluations, never for a computation whose result it would not use.
 */
export async function unlessStopped<A, T>(context: SearchContext<A>, work: Promise<T>): Promise<T | undefined> {
  if (context.evaluations.stopping) return undefined;
  return Promise.race([work, context.evaluations.stopped.then(() => undefined)]);
}

/**
 * Reads outcomes in launch order: `through(upTo)` waits for launches [read, upTo) to be over and
 * hands each to `use`, once, in order.
 */
export class InOrder<A> {
  private read = 0;

  constructor(
    private readonly evaluations: Scheduler<A, unknown>,
    private readonly use: (launch: SearchLaunch<A>) => void,
  ) {}

  /** Launches read so far. */
  get count(): number {
    return this.read;
  }

  async through(upTo: number): Promise<void> {
    while (this.read < upTo) {
      const launch = this.evaluations.launches[this.read]!;
      await launch.settled;
      this.read++;
      this.use(launch);
    }
  }

  /** Reads up to the scheduler's horizon (and at least `floor`): what the next decision may rest on. */
  async known(floor = 0): Promise<void> {
    await this.through(Math.max(floor, this.evaluations.horizon));
  }
}

/** The value the search sees of an evaluation that succeeded, or undefined for a failed one. */
export function valueOf<A>(launch: SearchLaunch<A>): number | undefined {
  return launch.outcome?.ok ? launch.outcome.value : undefined;
}

/** Commands on a search space: spaces, hash (the key of an architecture), enumerate, neighbours, sample. */
import type { Command } from "commander";
import { InputError, PrednasError } from "../util/errors.js";
import { ensureWritableFile, writeFileAtomic } from "../util/files.js";
import { MersenneTwister } from "../util/rng.js";
import { loadProblem, SPACES, spaceDefinition } from "../spaces/registry.js";
import type { Problem } from "../spaces/types.js";
import { forEachInputLine, integerOption, parseJsonLine, progressBar, writeOut } from "./io.js";
import { architectureFromFlags, problemSpec, withArchitectureOptions, withProblemOptions, type ProblemFlags } from "./problem.js";

type ArchitectureFlags = ProblemFlags & Record<string, unknown>;

/** The architecture the flags give, or an InputError saying how to give one. */
function givenArchitecture(problem: Problem<unknown>, flags: ArchitectureFlags): unknown {
  const definition = spaceDefinition(flags.space);
  const input = architectureFromFlags(definition, flags);
  if (input === undefined) {
    throw new InputError(`give an architecture: ${definition.input.flags.map(({ flag }) => flag).join(" ")} (${definition.title})`);
  }
  return problem.parse(input);
}

async function writeLines(lines: readonly string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 10_000) await writeOut(lines.slice(i, i + 10_000).join(""));
}

export function registerSpaceCommands(program: Command): void {
  program
    .command("spaces")
    .description("the search spaces: their size, datasets, objectives and how an architecture is written")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) => {
      const spaces = Object.values(SPACES).map(({ name, title, description, size, datasets, objectives, input }) => ({
        name,
        title,
        description,
        size,
        ...(datasets === undefined ? {} : { datasets }),
        objectives,
        architecture: { flags: input.flags.map(({ flag }) => flag), json: input.jsonForm },
      }));
      if (flags.json) return writeOut(`${JSON.stringify(spaces)}\n`);
      await writeOut(
        spaces
          .map((s) =>
            [
              `${s.name.padEnd(12)} ${s.title}: ${s.description}`,
              `${"".padEnd(12)} ${s.size.toLocaleString("en")} architectures${s.datasets ? `; datasets ${s.datasets.join(", ")}` : ""}`,
              `${"".padEnd(12)} objectives ${s.objectives.map((o) => o.name).join(", ")} (default ${s.objectives[0]!.name})`,
              `${"".padEnd(12)} an architecture: ${s.architecture.flags.join(" ")}, or the JSON line ${s.architecture.json}`,
            ].join("\n"),
          )
          .join("\n\n")
          .concat("\n"),
      );
    });

  withArchitectureOptions(withProblemOptions(program.command("hash").alias("key")))
    .description("print the key of an architecture (NAS-Bench-101: the official hash), or of each JSON line on standard input")
    .addHelpText(
      "after",
      "\nWithout an architecture flag, reads one JSON object per line (`prednas spaces` shows each space's form) and prints one key per line;\n" +
        'an invalid line prints "error: line N: reason" in its place and the exit status is 1 at the end.',
    )
    .action(async (flags: ArchitectureFlags) => {
      const definition = spaceDefinition(flags.space);
      const problem = await loadProblem(problemSpec(flags));
      if (architectureFromFlags(definition, flags) !== undefined) {
        await writeOut(`${problem.space.key(givenArchitecture(problem, flags))}\n`);
        return;
      }
      const failed = await forEachInputLine(
        (line) => void process.stdout.write(`${problem.space.key(problem.parse(parseJsonLine(line)))}\n`),
        (message, lineNumber) => void process.stdout.write(`error: line ${lineNumber}: ${message}\n`),
      );
      if (failed > 0) throw new PrednasError(`${failed} input line${failed === 1 ? " was" : "s were"} invalid`);
    });

  withProblemOptions(program.command("enumerate"))
    .description("list every architecture of the space as JSON lines (NAS-Bench-101: regenerated as the official generate_graphs.py does, in hash order)")
    .option("--out <FILE>", "write the architectures to FILE (atomically) instead of standard output")
    .option("--workers <N>", "worker threads, where the space is generated (0: none)", integerOption(0, 64))
    .action(async (flags: ProblemFlags & { out?: string; workers?: number }) => {
      if (flags.out !== undefined) ensureWritableFile(flags.out, "--out");
      const definition = spaceDefinition(flags.space);
      let listed: { archs: readonly unknown[]; summary: string };
      if (definition.regenerate !== undefined) {
        const progress = progressBar("enumerating");
        try {
          listed = await definition.regenerate({ workers: flags.workers, onProgress: (done, total) => progress.update(done, total) });
        } finally {
          progress.stop();
        }
      } else {
        const { space } = await loadProblem(problemSpec(flags));
        listed = { archs: Array.from({ length: space.enumeration.size }, (_, i) => space.describe(space.enumeration.at(i))), summary: `${space.enumeration.size} architectures` };
      }
      const lines = listed.archs.map((arch) => `${JSON.stringify(arch)}\n`);
      if (flags.out !== undefined) {
        try {
          writeFileAtomic(flags.out, lines.join(""));
        } catch (error) {
          // Never lose a finished enumeration: print it instead.
          await writeLines(lines);
          throw new InputError(`cannot write ${flags.out} (${(error as Error).message}); the architectures were printed to standard output instead`);
        }
        await writeOut(`${listed.summary}\n`);
      } else {
        await writeLines(lines);
        process.stderr.write(`${listed.summary}\n`);
      }
    });

  withArchitectureOptions(withProblemOptions(program.command("neighbours").alias("neighbors")))
    .description("print every architecture one edit away (NAS-Bench-101: an edge flip or an op change, de-duplicated by hash) as JSON lines")
    .action(async (flags: ArchitectureFlags) => {
      const problem = await loadProblem(problemSpec(flags));
      const found = problem.space.neighbours(givenArchitecture(problem, flags));
      await writeOut(found.map((arch) => `${JSON.stringify(problem.space.describe(arch))}\n`).join(""));
    });

  withProblemOptions(program.command("sample"))
    .description("draw random architectures: the space's own generator (NAS-Bench-101: the official random_spec, seeded as np.random.seed) or uniform over the architectures")
    .requiredOption("--n <N>", "number of architectures", integerOption(1, 10_000_000))
    .requiredOption("--seed <S>", "seed", integerOption(0, 2 ** 32 - 1))
    .option("--uniform", "uniform over the space's architectures (seeded as Python's random.seed) instead of its own generator")
    .action(async (flags: ProblemFlags & { n: number; seed: number; uniform?: boolean }) => {
      const definition = spaceDefinition(flags.space);
      const { space } = await loadProblem(problemSpec(flags));
      const rng = flags.uniform || definition.nativeStream === "python" ? MersenneTwister.python(flags.seed) : MersenneTwister.numpy(flags.seed);
      for (let i = 0; i < flags.n; i++) {
        const arch = flags.uniform ? space.sampleUniform(rng) : space.sampleNative(rng);
        await writeOut(`${JSON.stringify(space.describe(arch))}\n`);
      }
    });
}

/** Commands on the NAS-Bench-101 cell space: hash, enumerate, neighbours, sample. */
import type { Command } from "commander";
import { InputError, PrednasError } from "../util/errors.js";
import { ensureWritableFile, writeFileAtomic } from "../util/files.js";
import { MersenneTwister } from "../util/rng.js";
import { enumerateSpace } from "../spaces/nasbench101/enumerate.js";
import { neighbours } from "../spaces/nasbench101/neighbours.js";
import { randomSpec } from "../spaces/nasbench101/sample.js";
import { Nasbench101Benchmark } from "../spaces/nasbench101/table/benchmark.js";
import type { ModelSpec } from "../spaces/nasbench101/spec.js";
import { forEachInputLine, integerOption, parseJsonLine, progressBar, specFromJson, specFromOptions, writeOut } from "./io.js";

function cellJson(spec: ModelSpec, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ hash: spec.hash(), ...spec.pruned(), ...extra });
}

export function registerSpaceCommands(program: Command): void {
  program
    .command("hash")
    .description("print the official NAS-Bench-101 hash of a cell (or of each JSON line on standard input)")
    .option("--matrix <M>", "adjacency matrix: JSON ([[0,1],[0,0]]) or the row-major 0/1 string of the data table")
    .option("--ops <O>", "operations, comma-separated (input,conv3x3-bn-relu,...,output)")
    .addHelpText(
      "after",
      '\nWithout --matrix, reads one JSON object {"matrix": ..., "ops": ...} per line and prints one hash per line;\n' +
        'an invalid line prints "error: line N: reason" in its place and the exit status is 1 at the end.',
    )
    .action(async (options: { matrix?: string; ops?: string }) => {
      if (options.matrix !== undefined || options.ops !== undefined) {
        await writeOut(`${specFromOptions(options).hash()}\n`);
        return;
      }
      const failed = await forEachInputLine(
        (line) => void process.stdout.write(`${specFromJson(parseJsonLine(line)).hash()}\n`),
        (message, lineNumber) => void process.stdout.write(`error: line ${lineNumber}: ${message}\n`),
      );
      if (failed > 0) throw new PrednasError(`${failed} input line${failed === 1 ? " was" : "s were"} invalid`);
    });

  program
    .command("enumerate")
    .description("enumerate every unique cell as generate_graphs.py does; write them as JSON lines in hash order")
    .option("--out <FILE>", "write the cells to FILE (atomically) instead of standard output")
    .option("--workers <N>", "worker threads (0: none)", integerOption(0, 64))
    .action(async (options: { out?: string; workers?: number }) => {
      if (options.out !== undefined) ensureWritableFile(options.out, "--out");
      const progress = progressBar("enumerating");
      const { catalogue, visited } = await enumerateSpace({ workers: options.workers, onProgress: (done, total) => progress.update(done, total) });
      progress.stop();
      const lines: string[] = [];
      for (let i = 0; i < catalogue.size; i++) lines.push(`${JSON.stringify({ hash: catalogue.hash(i), ...catalogue.cellSpec(i) })}\n`);
      const summary = `${catalogue.size} unique cells (${visited} labelled graphs visited)`;
      if (options.out !== undefined) {
        try {
          writeFileAtomic(options.out, lines.join(""));
        } catch (error) {
          // Never lose a finished enumeration: print it instead.
          for (let i = 0; i < lines.length; i += 10_000) await writeOut(lines.slice(i, i + 10_000).join(""));
          throw new InputError(`cannot write ${options.out} (${(error as Error).message}); the cells were printed to standard output instead`);
        }
        await writeOut(`${summary}\n`);
      } else {
        for (let i = 0; i < lines.length; i += 10_000) await writeOut(lines.slice(i, i + 10_000).join(""));
        process.stderr.write(`${summary}\n`);
      }
    });

  program
    .command("neighbours")
    .alias("neighbors")
    .description("print every valid cell one edge flip or one op change away (de-duplicated by hash) as JSON lines")
    .option("--matrix <M>", "adjacency matrix (JSON or row-major 0/1 string)")
    .option("--ops <O>", "operations, comma-separated")
    .action(async (options: { matrix?: string; ops?: string }) => {
      const found = neighbours(specFromOptions(options));
      await writeOut(found.map((n) => `${cellJson(n.spec)}\n`).join(""));
    });

  program
    .command("sample")
    .description("draw random cells: the official generator (seeded as np.random.seed) or uniform over unique cells")
    .requiredOption("--n <N>", "number of cells", integerOption(1, 10_000_000))
    .requiredOption("--seed <S>", "seed", integerOption(0, 2 ** 32 - 1))
    .option("--uniform", "uniform over the 423,624 unique cells (seeded as Python's random.seed) instead of the official generator")
    .action(async (options: { n: number; seed: number; uniform?: boolean }) => {
      if (options.uniform) {
        const { catalogue } = await Nasbench101Benchmark.load();
        const rng = MersenneTwister.python(options.seed);
        for (let i = 0; i < options.n; i++) {
          const index = catalogue.sampleUniform(rng);
          await writeOut(`${JSON.stringify({ hash: catalogue.hash(index), index, ...catalogue.cellSpec(index) })}\n`);
        }
        return;
      }
      const rng = MersenneTwister.numpy(options.seed);
      for (let i = 0; i < options.n; i++) {
        const spec = randomSpec(rng);
        await writeOut(`${cellJson(spec, { original: spec.original() })}\n`);
      }
    });
}

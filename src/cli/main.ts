#!/usr/bin/env node
/** The `prednas` command-line program. Exit statuses: see util/errors.ts (and README, "Exit status"). */
// First: the process title loses any password before the rest loads.
import "./hideCredentials.js";
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { EXIT, PrednasError } from "../util/errors.js";

type Register = (program: Command) => void;

/**
 * The command modules, in the order of the help, with the top-level commands each registers. Only
 * the module of the command asked for is loaded (the others bring TensorFlow.js, BullMQ or the
 * report's renderer, a second of start-up between them); help and unknown commands load them all.
 */
const COMMAND_MODULES: readonly { readonly commands: readonly string[]; readonly load: () => Promise<Register> }[] = [
  { commands: ["spaces", "hash", "key", "enumerate", "neighbours", "neighbors", "sample"], load: async () => (await import("./space.js")).registerSpaceCommands },
  { commands: ["bench"], load: async () => (await import("./bench.js")).registerBenchCommands },
  { commands: ["predictor", "pool"], load: async () => (await import("./predictor.js")).registerPredictorCommands },
  { commands: ["search"], load: async () => (await import("./search.js")).registerSearchCommand },
  { commands: ["study"], load: async () => (await import("./study.js")).registerStudyCommand },
  { commands: ["report"], load: async () => (await import("./report.js")).registerReportCommand },
  { commands: ["worker"], load: async () => (await import("./worker.js")).registerWorkerCommand },
  { commands: ["queue"], load: async () => (await import("./queue.js")).registerQueueCommands },
];

/** prednas's version, from the package's own package.json (dist/cli/ -> the package root). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

/** The program with the commands `command` needs: its own module's, or every module's. */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command("prednas")
    .description("Sample-efficient predictor-based neural architecture search (prednas spaces lists the search spaces)")
    .version(packageVersion(), "-V, --version", "print prednas's version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const owner = COMMAND_MODULES.find((module) => command !== undefined && module.commands.includes(command));
  for (const module of owner === undefined ? COMMAND_MODULES : [owner]) (await module.load())(program);
  return program;
}

/** The exit status of an error that reached the top, after telling the user about it. */
export function reportError(error: unknown): number {
  // Commander has printed its own message; help and version "errors" are successes.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.input;
  const debug = process.env.PREDNAS_DEBUG === "1";
  if (error instanceof PrednasError) {
    process.stderr.write(`prednas: ${error.message}\n${debug && error.stack ? `${error.stack}\n` : ""}`);
    return error.exitCode;
  }
  const detail = debug ? (error as Error).stack : (error as Error).message;
  process.stderr.write(`prednas: internal error: ${detail}\n(this is a bug; set PREDNAS_DEBUG=1 for the stack trace and report it)\n`);
  return EXIT.internal;
}

/** A reader that closed our standard output (`prednas sample ... | head`) ends the program quietly. */
function endQuietlyOnClosedOutput(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT.ok);
    throw error;
  });
}

async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedOutput();
  try {
    await (await buildProgram(argv[2])).parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

process.exitCode = await main(process.argv);

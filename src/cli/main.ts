#!/usr/bin/env node
/** The `prednas` command-line program. Exit statuses: see util/errors.ts (and README, "Exit status"). */
// First: the process title loses any password before the rest loads.
import "./hideCredentials.js";
import { Command, CommanderError } from "commander";
import { EXIT, PrednasError } from "../util/errors.js";
import { registerBenchCommands } from "./bench.js";
import { registerPredictorCommands } from "./predictor.js";
import { registerQueueCommands } from "./queue.js";
import { registerReportCommand } from "./report.js";
import { registerSearchCommand } from "./search.js";
import { registerSpaceCommands } from "./space.js";
import { registerStudyCommand } from "./study.js";
import { registerWorkerCommand } from "./worker.js";

export function buildProgram(): Command {
  const program = new Command("prednas")
    .description("Sample-efficient predictor-based neural architecture search (prednas spaces lists the search spaces)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerSpaceCommands(program);
  registerBenchCommands(program);
  registerPredictorCommands(program);
  registerSearchCommand(program);
  registerStudyCommand(program);
  registerReportCommand(program);
  registerWorkerCommand(program);
  registerQueueCommands(program);
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
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

process.exitCode = await main(process.argv);

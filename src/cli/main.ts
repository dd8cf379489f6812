#!/usr/bin/env node
/** The `prednas` command-line program. */
import { Command, CommanderError } from "commander";
import { PrednasError } from "../util/errors.js";
import { registerBenchCommands } from "./bench.js";
import { registerPredictorCommands } from "./predictor.js";
import { registerReportCommand } from "./report.js";
import { registerSearchCommand } from "./search.js";
import { registerSpaceCommands } from "./space.js";
import { registerStudyCommand } from "./study.js";

export function buildProgram(): Command {
  const program = new Command("prednas")
    .description("Sample-efficient predictor-based neural architecture search on NAS-Bench-101")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerSpaceCommands(program);
  registerBenchCommands(program);
  registerPredictorCommands(program);
  registerSearchCommand(program);
  registerStudyCommand(program);
  registerReportCommand(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof PrednasError) {
      process.stderr.write(`prednas: ${error.message}\n`);
      return error.exitCode;
    }
    const detail = process.env.PREDNAS_DEBUG ? (error as Error).stack : (error as Error).message;
    process.stderr.write(`prednas: internal error: ${detail}\n(this is a bug; set PREDNAS_DEBUG=1 for the stack trace and report it)\n`);
    return 70;
  }
}

process.exitCode = await main(process.argv);

/** `prednas queue status --queue URL`: the runs in Redis with their jobs by state, and the workers seen (queue/status.ts). */
import type { Command } from "commander";
import { connect, hideCredentialsFromTitle, parseQueueUrl, PASSWORD_VARIABLE, scrub } from "../queue/connection.js";
import { formatStatus, queueStatus } from "../queue/status.js";
import { writeOut } from "./io.js";

export function registerQueueCommands(program: Command): void {
  const queue = program.command("queue").description("the queue in Redis that spreads evaluations over many machines");
  queue
    .command("status")
    .description("waiting, running and failed jobs per run, and the workers seen")
    .requiredOption("--queue <URL>", `the Redis: redis://[user:password@]host:port[/db] (the password may come from ${PASSWORD_VARIABLE})`)
    .option("--json", "print the status as JSON")
    .action(async (flags: { queue: string; json?: boolean }) => {
      hideCredentialsFromTitle();
      const location = parseQueueUrl(flags.queue);
      const connections = connect(location, (message) => void process.stderr.write(`prednas: ${scrub(message, location)}\n`));
      try {
        // A status is a look: it does not wait long for a Redis that is down.
        await connections.ready(AbortSignal.timeout(10_000));
        const status = await queueStatus(connections);
        await writeOut(flags.json ? `${JSON.stringify(status)}\n` : formatStatus(status, location.display));
      } finally {
        await connections.close();
      }
    });
}

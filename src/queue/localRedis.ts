/**
 * A throwaway real redis-server, for the queue's tests and benchmarks (Debian's redis-server
 * package; .ci/run installs it), never for users' runs: on 127.0.0.1, on a free port, with a password, its files in a temporary directory, no
 * snapshots unless asked. `restart` stops it and starts it again on the same port: with
 * `keepData` its data is saved first and loaded back, else it comes back empty.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RedisServer {
  readonly port: number;
  readonly password: string;
  /** redis://:PASSWORD@127.0.0.1:PORT */
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
  restart(options?: { readonly keepData?: boolean; readonly downMs?: number }): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function redisServerPath(): string {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  if (found === "") throw new Error("redis-server is not installed: the queue's tests and benchmarks need a real Redis (apt-get install -y redis-server; .ci/run installs it)");
  return found;
}

export async function startRedis(): Promise<RedisServer> {
  const binary = redisServerPath();
  const dir = mkdtempSync(join(tmpdir(), "prednas-redis-"));
  const port = await freePort();
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  let child: ChildProcess | undefined;
  const launch = async () => {
    const server = spawn(binary, ["--bind", "127.0.0.1", "--port", String(port), "--requirepass", password, "--dir", dir, "--save", "", "--appendonly", "no", "--dbfilename", "dump.rdb", "--protected-mode", "yes"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s: ${output}`)), 10_000);
      server.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
    server.stdout!.resume();
    child = server;
  };
  const halt = async (save: boolean) => {
    const server = child;
    if (server === undefined || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    if (save) spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "--no-auth-warning", "-a", password, "save"]);
    server.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}`,
    dir,
    stop: () => halt(false),
    async restart({ keepData = false, downMs = 0 } = {}) {
      await halt(keepData);
      if (!keepData) rmSync(join(dir, "dump.rdb"), { force: true });
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
  };
}

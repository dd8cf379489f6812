/**
 * The Redis behind `--queue URL`: the URL read and checked, its password kept out of every
 * message, and connections that wait for a Redis that is down instead of failing.
 *
 *   redis://[user:password@]host:port[/db]     rediss:// for TLS
 *
 * The password may also come from the environment, PREDNAS_QUEUE_PASSWORD, so that it is not on a
 * command line at all (a process's arguments are readable by every user of the machine); a URL
 * given on the command line is replaced in the process title by its redacted form as soon as the
 * program starts (redact.ts), which leaves it visible for the first few milliseconds.
 *
 * Why ioredis instances are made here rather than handing BullMQ the options: BullMQ 6 loads its
 * optional driver with `require`, which an ES module does not have, so it takes a ready client.
 * Every client has maxRetriesPerRequest: null (what BullMQ's workers need, and what makes a
 * command wait for a Redis that restarts rather than fail) and reconnects forever, at most
 * every 2 s; the first error of an outage is reported once, and the reconnection.
 */
import { Redis, type RedisOptions } from "ioredis";
import { InputError, PrednasError } from "../util/errors.js";
import { redactUrlText } from "./redact.js";
import { PASSWORD_VARIABLE } from "../util/secretVariables.js";

export { hideCredentialsFromTitle, redactUrlText } from "./redact.js";

export { PASSWORD_VARIABLE } from "../util/secretVariables.js";

export interface QueueLocation {
  readonly options: RedisOptions;
  /** The URL without its password, for messages and records. */
  readonly display: string;
  /** The password, whichever way it came (to scrub it from any text that might hold it). */
  readonly password?: string;
}

const USAGE = "redis://[user:password@]host:port[/db] (rediss:// for TLS)";

/** A percent-encoded user or password decoded; an encoding that is not one is the user's to fix. */
function decoded(part: string, refuse: (problem: string) => InputError): string | undefined {
  if (part === "") return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    throw refuse("the user or password holds a '%' that is not followed by two hex digits: write '%' as %25 (and '@' as %40, '/' as %2F, ':' in a user as %3A)");
  }
}

/**
 * Reads `--queue URL` (`flag` names it in messages). A refusal shows the text as given with its
 * userinfo hidden (redactUrlText), never a form rebuilt from a parse that may have moved the
 * password elsewhere (`redis:/:PW@h:1` parses as a path holding it).
 */
export function parseQueueUrl(text: string, flag = "--queue", env: NodeJS.ProcessEnv = process.env): QueueLocation {
  const refuse = (problem: string) => new InputError(`${flag} ${redactUrlText(text)}: ${problem}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${flag} ${redactUrlText(text)} is not a URL: give ${USAGE}, with any '/', '#', '?', '@' or '%' in the password written %2F, %23, %3F, %40, %25`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw refuse(`the scheme must be redis:// or rediss://, as in ${USAGE}`);
  if (url.hostname === "") throw refuse(`no host; give ${USAGE}`);
  if (url.port === "") throw refuse(`no port (Redis listens on 6379 unless told otherwise); give ${USAGE}`);
  const dbText = url.pathname.replace(/^\//, "");
  if (dbText !== "" && !/^\d+$/.test(dbText)) throw refuse("the database after the port must be a number (/0, /1...)");
  if (url.search !== "" || url.hash !== "") throw refuse(`options after '?' or '#' are not read; give ${USAGE}`);
  const given = decoded(url.password, refuse);
  const password = given ?? (env[PASSWORD_VARIABLE] || undefined);
  const username = decoded(url.username, refuse);
  const display = `${url.protocol}//${username === undefined && given === undefined ? "" : `${username ?? ""}${given === undefined ? "" : ":***"}@`}${url.host}${url.pathname === "/" ? "" : url.pathname}`;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const options: RedisOptions = {
    host,
    port: Number(url.port),
    db: dbText === "" ? 0 : Number(dbText),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(url.protocol === "rediss:" ? { tls: { servername: host } } : {}),
  };
  return { options, display, ...(password === undefined ? {} : { password }) };
}

/** `text` with the password replaced, wherever it appears. */
export function scrub(text: string, location: QueueLocation): string {
  return location.password === undefined || location.password === "" ? text : text.split(location.password).join("***");
}

function isAuthError(message: string): boolean {
  return /WRONGPASS|NOAUTH|invalid password|invalid username-password|NOPERM/i.test(message);
}

/** A lost or refused connection (ioredis's messages), as opposed to an error of what was asked. */
function isConnectionError(message: string): boolean {
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed|connect /i.test(message);
}

/** What emits errors: BullMQ's Queue, Worker and QueueEvents. */
interface ErrorSource {
  on(event: "error", listener: (error: Error) => void): unknown;
}

export interface Connections {
  /** A new client (BullMQ's Queue, Worker and QueueEvents each take one of their own). */
  client(): Redis;
  /**
   * Reports the errors of something built on these connections: a lost connection as part of the
   * outage (said once, whichever client or BullMQ connection sees it), anything else through
   * `onStatus`, after `label`.
   */
  watch(source: ErrorSource, label: string): void;
  /** Resolves once Redis answers; an authentication refusal is an InputError (exit 2), an outage waits (until `signal`). */
  ready(signal?: AbortSignal): Promise<void>;
  /** Closes one client (BullMQ does not close a client it was given). */
  release(redis: Redis): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connections to one Redis, sharing one report of its state through `onStatus`: "unreachable ...
 * waiting" once per outage, "reachable again" when it is back. Every client and BullMQ's own
 * (watch) see the outage and retry on their own schedule; only the first error of an outage is
 * said, and the outage ends when one of the clients is ready again.
 */
export function connect(location: QueueLocation, onStatus: (message: string) => void): Connections {
  const clients = new Set<Redis>();
  let down = false;
  let authFailure: string | undefined;
  const failed = (error: Error) => {
    const message = scrub(error.message, location);
    if (isAuthError(message)) {
      authFailure ??= message;
      return;
    }
    if (down) return;
    down = true;
    onStatus(`Redis at ${location.display} is unreachable (${message}); waiting for it, retrying every 2 s`);
  };
  const client = () => {
    const redis = new Redis({ ...location.options, maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (times) => Math.min(200 * times, 2000) });
    redis.on("error", failed);
    redis.on("ready", () => {
      if (!down) return;
      down = false;
      onStatus(`Redis at ${location.display} is reachable again`);
    });
    clients.add(redis);
    return redis;
  };
  const release = async (redis: Redis) => {
    clients.delete(redis);
    // QUIT would wait for a Redis that is down (maxRetriesPerRequest: null): only a connected client says goodbye.
    if (redis.status === "ready") await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  };
  let probe: Redis | undefined;
  return {
    client,
    release,
    watch(source, label) {
      source.on("error", (error) => {
        const message = scrub(error.message, location);
        if (isConnectionError(message) || isAuthError(message)) failed(error);
        else onStatus(`${label}: ${message}`);
      });
    },
    async ready(signal) {
      probe ??= client();
      const refused = (detail: string) =>
        new InputError(`Redis at ${location.display} refused the credentials (${detail}): give the password in the URL (redis://:PASSWORD@host:port) or in ${PASSWORD_VARIABLE}, and the user if Redis has ACL users`);
      // While Redis is down the ping waits (maxRetriesPerRequest: null): look at it every 200 ms.
      let answer = probe.ping().then(
        () => "ok" as const,
        (error: Error) => error,
      );
      while (true) {
        const outcome = await Promise.race([answer, new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), 200))]);
        if (authFailure !== undefined) throw refused(authFailure);
        if (outcome === "ok") return;
        if (signal?.aborted) throw new PrednasError(`stopped while waiting for Redis at ${location.display}`);
        if (outcome instanceof Error) {
          const message = scrub(outcome.message, location);
          if (isAuthError(message)) throw refused(message);
          failed(outcome);
          answer = probe.ping().then(
            () => "ok" as const,
            (error: Error) => error,
          );
        }
      }
    },
    async close() {
      await Promise.all([...clients].map(release));
    },
  };
}

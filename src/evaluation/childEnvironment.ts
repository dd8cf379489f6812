/**
 * The environment of an evaluation command: prednas's own, less its secrets, plus the attempt's
 * variables, each small enough for the system to take.
 *
 * Secrets: the variables named in SECRET_VARIABLES (the queue's password), any variable whose
 * value is one of their values or holds it as a URL's password (":SECRET@"; any substring would
 * catch PATH when a password is short), and any variable holding a Redis URL with a password (a
 * --queue URL kept in the environment). A training command has no use for
 * them, and whatever it runs (a library, a tool, a log upload) would see them.
 *
 * Size: Linux refuses to start a program with one environment string over 128 KiB ("spawn
 * E2BIG"), and all of them together share a limit with the arguments. An attempt's variable
 * longer than MAX_VARIABLE_BYTES (an architecture with long strings in it, as PREDNAS_ARCH_JSON
 * and PREDNAS_ARCH_KEY) is left out: the command reads the architecture from its standard input,
 * which has no limit.
 */
import { SECRET_VARIABLES } from "../util/secretVariables.js";

/** The longest attempt variable (name=value, in bytes) put in the environment. */
export const MAX_VARIABLE_BYTES = 64 * 1024;

const REDIS_URL_WITH_PASSWORD = /rediss?:\/\/[^\s/@]*:[^\s/@]+@/i;

/** `environment` without prednas's secrets (see the module comment). */
export function withoutSecrets(environment: NodeJS.ProcessEnv): Record<string, string> {
  const secrets = SECRET_VARIABLES.map((name) => environment[name]).filter((value): value is string => value !== undefined && value !== "");
  const holdsSecret = (value: string) => secrets.some((secret) => value === secret || value.includes(`:${secret}@`) || value.includes(`:${encodeURIComponent(secret)}@`));
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined || SECRET_VARIABLES.includes(name) || REDIS_URL_WITH_PASSWORD.test(value) || holdsSecret(value)) continue;
    kept[name] = value;
  }
  return kept;
}

/**
 * The environment of one attempt: this process's with the run's own variables (--evaluation-env)
 * over it, without the secrets of either, and `variables`, less those over MAX_VARIABLE_BYTES
 * (returned as `omitted`, by name).
 */
export function childEnvironment(variables: Readonly<Record<string, string>>, environment: NodeJS.ProcessEnv = process.env, given: Readonly<Record<string, string>> = {}): { env: Record<string, string>; omitted: string[] } {
  const env = withoutSecrets({ ...environment, ...given });
  const omitted: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (Buffer.byteLength(`${name}=${value}`) > MAX_VARIABLE_BYTES) omitted.push(name);
    else env[name] = value;
  }
  return { env, omitted };
}

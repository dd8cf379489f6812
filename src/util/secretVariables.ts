/**
 * prednas's secrets in the environment, named once for whoever needs them: the queue's
 * connection reads the password from it (queue/connection.ts), and the child environment of an
 * evaluation leaves them all out (evaluation/childEnvironment.ts), neither depending on the other.
 */
export const PASSWORD_VARIABLE = "PREDNAS_QUEUE_PASSWORD";
/** prednas's secrets in the environment: never handed to a child process (the evaluations). */
export const SECRET_VARIABLES: readonly string[] = [PASSWORD_VARIABLE];

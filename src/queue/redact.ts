/**
 * Passwords out of `--queue` URLs, in messages and in the process title. A module of its own,
 * with no imports, so that the program can hide its title first thing, before loading the rest
 * (a process's arguments are readable by every user of the machine; see cli/main.ts).
 */

/** A URL-like text with whatever follows "user:" up to "@" replaced (also for a URL too broken to parse). */
export function redactUrlText(text: string): string {
  return text.replace(/(\/\/[^/@:]*:)[^@/]*@/, "$1***@");
}

/** Replaces every argument holding a URL's password in the process title by its redacted form. */
export function hideCredentialsFromTitle(): void {
  const redacted = process.argv.map((arg) => redactUrlText(arg));
  if (redacted.some((arg, i) => arg !== process.argv[i])) process.title = redacted.join(" ");
}

/**
 * Passwords out of `--queue` URLs, in messages and in the process title. A module of its own,
 * with no imports, so that the program can hide its title first thing, before loading the rest
 * (a process's arguments are readable by every user of the machine; see cli/main.ts).
 *
 * The text is not parsed as a URL: it is often one that does not parse (a slash missing, a bad
 * percent-encoding, a password holding '/', '#' or '@'), and those must lose their password too.
 */

/** An optional `--flag=`, then an optional `scheme:` with its slashes. */
const PREFIX = /^(?:-{1,2}[\w-]+=)?(?:[A-Za-z][\w+.-]*:\/+)?/;

/**
 * `text` (one argument, or one URL) with its userinfo, everything from after `scheme://` up to
 * the last '@', hidden: `user:password@` becomes `user:***@`, and a userinfo with no ':' becomes
 * `***@` (it may be a password written without its ':'). A text with an '@' but with neither a
 * scheme nor a ':' before it (`a@b.json`, `ssh gpu@host`) does not look like a URL: left as is.
 */
export function redactUrlText(text: string): string {
  const at = text.lastIndexOf("@");
  if (at === -1) return text;
  const start = PREFIX.exec(text)![0].length;
  const userinfo = text.slice(start, Math.max(start, at));
  const colon = userinfo.indexOf(":");
  const hasScheme = /:\/+$/.test(text.slice(0, start));
  if (colon === -1 && !hasScheme) return text;
  return `${text.slice(0, start)}${colon === -1 ? "" : userinfo.slice(0, colon + 1)}***${text.slice(at)}`;
}

/** Replaces every argument holding a URL's password in the process title by its redacted form. */
export function hideCredentialsFromTitle(): void {
  const redacted = process.argv.map((arg) => redactUrlText(arg));
  if (redacted.some((arg, i) => arg !== process.argv[i])) process.title = redacted.join(" ");
}

/**
 * JSON files written by the user (a space file, a study preset), read strictly. A file larger than
 * MAX_JSON_FILE_BYTES is not read (a space file or preset is a few kilobytes; a gigabyte could not
 * even be held as one string). JSON.parse keeps
 * the last of a key given twice in one object, silently: a second "budget" would quietly replace
 * the first. The recursive parsers and validators after it (jsonc-parser's tree, zod) overflow
 * the stack on a deep enough nesting. So a key given twice, a nesting deeper than MAX_JSON_DEPTH
 * and a syntax error are each an InputError naming the file, the line and the column.
 */
import { readFileSync, statSync } from "node:fs";
import { parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { InputError } from "./errors.js";
import { formatBytes } from "./lines.js";

/** The largest JSON file of the user's read. */
export const MAX_JSON_FILE_BYTES = 16 * 1024 * 1024;

/** The deepest nesting of objects and arrays read: far beyond any space file, preset or architecture, far below the stack's limit. */
export const MAX_JSON_DEPTH = 64;

/** Where an offset of a text is, as "line L, column C". */
export function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/**
 * The offset where the nesting first goes deeper than `limit`, or -1 (strings are skipped; the
 * syntax is checked later). Any JSON text from the user (a file, a line, a flag's value) is
 * checked before it is parsed: what reads the value after JSON.parse recurses.
 */
export function tooDeepAt(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return -1;
}

/** The first key given twice in one object (in text order of the second), with both offsets. */
function duplicateKey(root: Node): { key: string; first: number; second: number } | undefined {
  let found: { key: string; first: number; second: number } | undefined;
  const visit = (node: Node): void => {
    if (node.type === "object") {
      const seen = new Map<string, number>();
      for (const property of node.children ?? []) {
        const keyNode = property.children?.[0];
        if (keyNode === undefined) continue;
        const key = String(keyNode.value);
        const earlier = seen.get(key);
        if (earlier !== undefined && (found === undefined || keyNode.offset < found.second)) found = { key, first: earlier, second: keyNode.offset };
        seen.set(key, keyNode.offset);
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return found;
}

/** Parses a user's JSON file's text (`file` names it in messages): its value and its syntax tree (for line numbers). */
export function parseJsonDocument(text: string, file: string): { value: unknown; tree: Node } {
  const deep = tooDeepAt(text);
  if (deep >= 0) throw new InputError(`${file}: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays at ${position(text, deep)}: no space file or preset is; check how the file was made`);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (errors.length > 0 || tree === undefined) {
    const first = errors[0];
    throw new InputError(`${file}: not valid JSON at ${position(text, first?.offset ?? 0)}: ${first === undefined ? "no value" : printParseErrorCode(first.error)}`);
  }
  const duplicate = duplicateKey(tree);
  if (duplicate !== undefined) {
    throw new InputError(`${file}: the key ${JSON.stringify(duplicate.key)} is given twice in one object, at ${position(text, duplicate.first)} and ${position(text, duplicate.second)}: JSON keeps only the last, silently; give it once`);
  }
  return { value: JSON.parse(text) as unknown, tree };
}

/** Reads and parses a user's JSON file (`what` it is: "space file"); every error is an InputError naming it. */
export function readJsonDocument(path: string, what: string, file = path): { text: string; value: unknown; tree: Node } {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_JSON_FILE_BYTES) throw new InputError(`the ${what} ${file} holds ${size.toLocaleString("en")} bytes, more than the ${formatBytes(MAX_JSON_FILE_BYTES)} a ${what} may: is it the right file?`);
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { text, ...parseJsonDocument(text, file) };
}

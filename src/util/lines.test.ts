import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readLastLine, streamLines } from "./lines.js";

const dir = mkdtempSync(join(tmpdir(), "prednas-lines-"));
let files = 0;
function lastLineOf(text: string | Buffer, limit?: number) {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, text);
  return readLastLine(path, limit);
}

describe("the last line of a file", () => {
  it("is the last non-blank line, trimmed, however the file ends", () => {
    expect(lastLineOf("")).toEqual({});
    expect(lastLineOf(" \n\r\n\t\n")).toEqual({});
    expect(lastLineOf("only")).toEqual({ line: "only" });
    expect(lastLineOf("a\nb \r\n\n  \n")).toEqual({ line: "b" });
    expect(readLastLine(join(dir, "missing"))).toEqual({});
  });

  it("is read up to the limit exactly, and is too long one byte beyond, across read chunks", () => {
    const line = "x".repeat(100_000);
    expect(lastLineOf(`first\n${line}\n`, 100_000)).toEqual({ line });
    expect(lastLineOf(`first\n${line}y\n`, 100_000)).toEqual({ tooLong: true });
    expect(lastLineOf(`${line}y`, 100_000)).toEqual({ tooLong: true });
  });
});

describe("the lines of a stream", () => {
  it("splits LF and CRLF across chunks, numbers every line, and skips the text of one over the limit", async () => {
    const chunks = ["ab", "c\r\nxxxx", "xxxx\n", "\nlast"].map((text) => Buffer.from(text));
    const lines = [];
    for await (const line of streamLines(Readable.from(chunks), 5)) lines.push(line);
    expect(lines).toEqual([{ number: 1, text: "abc" }, { number: 2, tooLong: true }, { number: 3, text: "" }, { number: 4, text: "last" }]);
  });
});

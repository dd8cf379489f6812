import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { md5, Md5Buffer } from "./md5.js";
import { LANES, Md5Lanes } from "./md5Lanes.js";

function hex(words: Int32Array | number[]): string {
  return Buffer.from(Int32Array.from(words).buffer).toString("hex");
}

describe("md5", () => {
  it("matches node:crypto on messages of every padding case", () => {
    const buffer = new Md5Buffer(64);
    const out = new Int32Array(4);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (message) => {
        buffer.ensure(message.length);
        buffer.bytes.fill(0xaa);
        buffer.bytes.set(message);
        md5(buffer, message.length, out);
        expect(hex(out)).toBe(createHash("md5").update(message).digest("hex"));
      }),
      { numRuns: 300 },
    );
  });
});

describe("Md5Lanes", () => {
  it("computes independent digests of different lengths at once, in every lane", () => {
    const engine = new Md5Lanes();
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { minLength: 1, maxLength: LANES }), (messages) => {
        engine.message.fill(0x55555555);
        const blocks = messages.map((message, lane) => {
          const padded = new Uint8Array(Math.ceil((message.length + 1) / 4) * 4);
          padded.set(message);
          const words = new Int32Array(padded.buffer);
          words.forEach((word, i) => (engine.message[LANES * i + lane] = word));
          return engine.pad(lane, message.length);
        });
        engine.compute(Math.max(...blocks));
        messages.forEach((message, lane) => {
          const digest = [0, 1, 2, 3].map((r) => engine.memory[engine.digestIndex(lane, blocks[lane]!, r)]!);
          expect(hex(digest)).toBe(createHash("md5").update(message).digest("hex"));
        });
      }),
      { numRuns: 200 },
    );
  });
});

/** TFRecord framing: CRC32C, the official-format fixture, round trips, and damage at known offsets. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { crc32c, encodeTfRecord, maskedCrc32c, readTfRecords, TfRecordError, type TfRecord } from "./tfrecord.js";

const FIXTURE = fileURLToPath(
  new URL("../fixtures/synthetic_official_format_00005c14_108.tfrecord", import.meta.url),
);
const scratch = mkdtempSync(join(tmpdir(), "prednas-tfrecord-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function collect(input: string | AsyncIterable<Uint8Array>, maxRecordBytes?: number): Promise<TfRecord[]> {
  const records: TfRecord[] = [];
  for await (const record of readTfRecords(input, { name: "test.tfrecord", maxRecordBytes })) {
    records.push({ offset: record.offset, data: Uint8Array.from(record.data) });
  }
  return records;
}

/** The bytes cut at the given (sorted, in-range) points, as a stream of chunks. */
async function* chunked(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
}

function frame(payloads: readonly Uint8Array[]): { bytes: Buffer; offsets: number[] } {
  const offsets: number[] = [];
  let at = 0;
  const parts = payloads.map((payload) => {
    offsets.push(at);
    const framed = encodeTfRecord(payload);
    at += framed.length;
    return framed;
  });
  return { bytes: Buffer.concat(parts), offsets };
}

async function failure(bytes: Uint8Array, maxRecordBytes?: number): Promise<TfRecordError> {
  try {
    await collect(chunked(bytes, [1, 7, 20]), maxRecordBytes);
  } catch (error) {
    expect(error).toBeInstanceOf(TfRecordError);
    return error as TfRecordError;
  }
  throw new Error("expected the reader to fail");
}

describe("CRC32C", () => {
  it("matches the standard check value and TensorFlow's masking", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    // The first length header of the official-format fixture: its stored masked CRC.
    const fixture = readFileSync(FIXTURE);
    expect(maskedCrc32c(fixture.subarray(0, 8))).toBe(fixture.readUInt32LE(8));
  });
});

describe("readTfRecords", () => {
  it("reads the official-format fixture, and the writer reproduces it byte for byte", async () => {
    const records = await collect(FIXTURE);
    expect(records.map((record) => record.offset)).toEqual([0, 365, 730]);
    expect(records.every((record) => record.data.length === 349)).toBe(true);
    expect(JSON.parse(Buffer.from(records[0]!.data).toString("utf8"))[0]).toBe("00005c142e6f48ac74fdcf73e3439874");
    expect(frame(records.map((record) => record.data)).bytes.equals(readFileSync(FIXTURE))).toBe(true);
  });

  it("round-trips arbitrary payloads however the bytes are chunked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (payloads, rawCuts) => {
          const { bytes, offsets } = frame(payloads);
          const cuts = [...new Set(rawCuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const records = await collect(chunked(bytes, cuts));
          expect(records.map((record) => record.offset)).toEqual(offsets);
          expect(records.map((record) => Buffer.from(record.data).toString("hex"))).toEqual(payloads.map((p) => Buffer.from(p).toString("hex")));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reads an empty file as no records, and a file path in chunks", async () => {
    const empty = join(scratch, "empty.tfrecord");
    writeFileSync(empty, "");
    expect(await collect(empty)).toEqual([]);
    // Larger than one 1 MiB read, so records straddle the reader's chunks.
    const payloads = Array.from({ length: 5000 }, (_, i) => Buffer.alloc(300 + (i % 17), i % 251));
    const { bytes, offsets } = frame(payloads);
    const big = join(scratch, "big.tfrecord");
    writeFileSync(big, bytes);
    const records = await collect(big);
    expect(records.map((record) => record.offset)).toEqual(offsets);
    expect(records.every((record, i) => Buffer.from(record.data).equals(payloads[i]!))).toBe(true);
  });

  describe("names the damaged record's byte offset", () => {
    const payloads = [Buffer.from("first record"), Buffer.from("second"), Buffer.from("the third one")];
    const { bytes, offsets } = frame(payloads);
    const second = offsets[1]!;
    const damaged = (at: number): Buffer => {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x40;
      return copy;
    };

    it.each([
      ["a length byte", second + 2, /length CRC mismatch/],
      ["the length CRC", second + 9, /length CRC mismatch/],
      ["a data byte", second + 13, /data CRC mismatch/],
      ["the data CRC", offsets[2]! - 1, /data CRC mismatch/],
    ])("%s", async (_what, at, problem) => {
      const error = await failure(damaged(at));
      expect(error.offset).toBe(second);
      expect(error.message).toMatch(problem);
      expect(error.message).toContain(`test.tfrecord: record at byte ${second}:`);
    });

    it("a truncated final record", async () => {
      const last = offsets[2]!;
      for (const end of [bytes.length - 1, last + 12, last + 20]) {
        const error = await failure(bytes.subarray(0, end));
        expect(error.offset).toBe(last);
        expect(error.message).toMatch(/truncated data/);
      }
      for (const end of [last + 1, last + 11]) {
        const error = await failure(bytes.subarray(0, end));
        expect(error.offset).toBe(last);
        expect(error.message).toMatch(/truncated length header/);
      }
    });

    it("a length over the limit", async () => {
      const error = await failure(bytes, 10);
      expect(error.offset).toBe(0);
      expect(error.message).toMatch(/exceeds the 10-byte limit/);
    });
  });
});

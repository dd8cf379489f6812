/**
 * The byte-level pieces of a WebAssembly module, for the small kernels prednas assembles from
 * instruction lists at run time (no build tool, no binary blob in the repository). md5x4.ts
 * keeps its own copy of these helpers; new kernels use this module.
 */

export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const VALUE_TYPE = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;

export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** A section: its id, then its content's length. */
export function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

/** A vector: its length, then its items. */
export function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/** A name (ASCII). */
export function name(text: string): number[] {
  return vector([...text].map((ch) => [ch.charCodeAt(0)]));
}

/**
 * The byte-level pieces of a WebAssembly module, for the small kernels prednas assembles from
 * instruction lists at run time (no build tool, no binary blob in the repository).
 */

export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const VALUE_TYPE = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;

/** Appends the unsigned LEB128 encoding of `value` (kernels append in place: no array per instruction). */
export function pushUnsignedLeb(bytes: number[], value: number): void {
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
}

/** Appends the signed LEB128 encoding of `value`. */
export function pushSignedLeb(bytes: number[], value: number): void {
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return;
    }
    bytes.push(byte | 0x80);
  }
}

export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  pushUnsignedLeb(bytes, value);
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

/**
 * A module: the header, the given sections before the code section (types, functions, memory,
 * exports), and one function whose body (locals and code, without its size) is `body`.
 * Why not spread everything into one array: unrolled kernels are kilobytes, and in cold code
 * copying them through spreads and flat() took a first call ~15 ms of allocation and GC.
 */
export function moduleWithBody(sections: number[], body: number[]): Uint8Array {
  const bodySize = unsignedLeb(body.length);
  const codeSection = [1, ...bodySize]; // one function, then its size
  const codeSectionHeader = [10, ...unsignedLeb(codeSection.length + body.length), ...codeSection];
  const bytes = new Uint8Array(WASM_HEADER.length + sections.length + codeSectionHeader.length + body.length);
  let at = 0;
  for (const part of [WASM_HEADER, sections, codeSectionHeader, body]) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

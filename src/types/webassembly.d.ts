/**
 * The part of the WebAssembly JS API that prednas uses. Node 20 has it at run time, but
 * @types/node 20 does not declare it and the DOM library would bring browser globals with it.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}

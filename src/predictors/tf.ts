/**
 * TensorFlow.js for the predictors: tfjs-core on the WebAssembly backend, initialised once per
 * thread (each worker thread has its own engine and wasm heap).
 *
 * Facts this relies on (measured with 4.22.0, see the predictor modules for their consequences):
 * the wasm backend finds its `.wasm` binaries beside its own `dist/` and never fetches; Node gets
 * no wasm threads, so parallelism comes from worker threads; the Node build of tfjs-core registers
 * no gradients, so the predictors write their backward passes themselves.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";

export { tf };

let ready: Promise<void> | undefined;

/**
 * Selects the wasm backend in production mode (no warnings on the console), once per thread; the
 * backend picks its SIMD binary by itself (2.5-3x faster matMul than without). Emscripten installs
 * process-wide 'uncaughtException'/'unhandledRejection' handlers that rethrow, which would turn
 * every later crash into an exit with code 7 and a stack inside the wasm glue; they are removed.
 */
export function initTf(): Promise<void> {
  ready ??= (async () => {
    const uncaught = new Set(process.listeners("uncaughtException"));
    const unhandled = new Set(process.listeners("unhandledRejection"));
    tf.env().set("PROD", true);
    if (!(await tf.setBackend("wasm"))) throw new Error("the TensorFlow.js wasm backend failed to initialise");
    await tf.ready();
    for (const listener of process.listeners("uncaughtException")) if (!uncaught.has(listener)) process.off("uncaughtException", listener);
    for (const listener of process.listeners("unhandledRejection")) if (!unhandled.has(listener)) process.off("unhandledRejection", listener);
  })();
  return ready;
}

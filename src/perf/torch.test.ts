import { describe, expect, it } from "vitest";
import { degradations } from "./torch.js";

/** The configuration of this machine's peer at its best (Debian's torch 1.13 on OpenBLAS 0.3.21, Zen 3). */
const BEST = {
  torch: "1.13.0a0",
  blasInfo: "generic",
  mkl: false,
  cpuCapability: "AVX2",
  blasLibraries: ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"],
  openblas: { library: "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so", coretype: "Zen", config: "OpenBLAS 0.3.21 DYNAMIC_ARCH", threads: 1 },
  threads: 1,
  interopThreads: 1,
  environment: { OPENBLAS_NUM_THREADS: "1" },
  cpuFlags: ["avx2", "fma"],
  loadAverage: 0.5,
};

describe("the PyTorch peer's configuration check", () => {
  it("accepts the peer at its best", () => {
    expect(degradations(BEST)).toEqual([]);
  });

  it("names each way the peer is slower than its best", () => {
    const reasons = degradations({
      ...BEST,
      environment: { OPENBLAS_CORETYPE: "Prescott", OPENBLAS_L2_SIZE: "65536" },
      openblas: { ...BEST.openblas, coretype: "Prescott", threads: 2 },
      cpuCapability: "DEFAULT",
    });
    expect(reasons).toEqual([
      "OPENBLAS_CORETYPE=Prescott is set",
      "OPENBLAS_L2_SIZE=65536 is set",
      "OpenBLAS runs 2 threads, not 1",
      "OpenBLAS uses its Prescott kernels, without the AVX2 and FMA this CPU has",
      "ATen runs its DEFAULT kernels on a CPU with AVX2",
    ]);
  });

  it("takes a reference BLAS for degraded, and a pre-AVX2 kernel for fine on a CPU without AVX2", () => {
    expect(degradations({ ...BEST, openblas: null, blasLibraries: ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"] })).toEqual([
      "torch calls neither OpenBLAS nor MKL (loaded: /usr/lib/x86_64-linux-gnu/blas/libblas.so.3): a reference BLAS",
    ]);
    expect(degradations({ ...BEST, cpuFlags: [], cpuCapability: "DEFAULT", openblas: { ...BEST.openblas, coretype: "Nehalem" } })).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { NASBENCH101_PEERS } from "../spaces/nasbench101/peers.js";
import { againstBest, fieldBest, peerFigureFor, testError } from "./field.js";

describe("the comparison with the field", () => {
  it("takes the lowest test error of any protocol as the field's best (NAS-Bench-101: local search on this table, 5.894%)", () => {
    expect(fieldBest(NASBENCH101_PEERS)).toMatchObject({ label: "local search", testErrorPercent: 5.894, protocol: "this table" });
    expect(fieldBest(undefined)).toBeUndefined();
    expect(fieldBest({ ...NASBENCH101_PEERS, figures: [] })).toBeUndefined();
  });

  it("prefers a method's like-for-like figure", () => {
    expect(peerFigureFor(NASBENCH101_PEERS, "local")?.protocol).toBe("this table");
    expect(peerFigureFor(NASBENCH101_PEERS, "bananas")?.protocol).toBe("BANANAS paper");
    expect(peerFigureFor(NASBENCH101_PEERS, "predictor")).toBeUndefined();
  });

  it("says by how many percentage points a test error beats the best or falls behind it", () => {
    const best = fieldBest(NASBENCH101_PEERS)!;
    expect(againstBest(testError({ meanTruth: 0.942341 }), best)).toBe("beats it by 0.128 pp");
    expect(againstBest(testError({ meanTruth: 0.9, meanTest: 0.9405 }), best)).toBe("behind it by 0.056 pp");
    expect(againstBest(5.8942, best)).toBe("level with it");
  });
});

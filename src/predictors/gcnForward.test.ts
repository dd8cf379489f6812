import { beforeAll, describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { randomGraphs } from "../test-support/graphs.js";
import { GcnForward } from "./gcnForward.js";
import { BatchTensors, GcnNetwork, initialGcnParameters, type GcnShape } from "./gcnNetwork.js";
import { GraphSet } from "./graphBatch.js";
import { initTf, tf } from "./tf.js";

describe("the GCN's prediction kernels", () => {
  beforeAll(initTf);

  it.each<[string, GcnShape, number]>([
    ["the reference shape", { features: 5, width: 144, layers: 3, head: 128, headActivation: "none" }, 2],
    ["widths not multiples of 4, a ReLU head, 4 layers", { features: 5, width: 13, layers: 4, head: 7, headActivation: "relu" }, 1],
    ["2 layers", { features: 5, width: 40, layers: 2, head: 9, headActivation: "none" }, 3],
  ])("give tfjs's predictions bit for bit (%s)", (_name, shape, members) => {
    const { encoding, archs } = randomGraphs(203, shape.width);
    const rng = seededRng(shape.width + shape.layers);
    const parameters = Array.from({ length: members }, () => initialGcnParameters(shape, rng));
    const forward = new GcnForward(shape, parameters.map((p) => (name: string) => p.view(name)));
    const network = new GcnNetwork(shape);
    const set = new GraphSet(encoding, archs);
    for (const part of [archs.slice(0, 150), archs.slice(150)]) {
      const batch = set.batch(Int32Array.from(part), true);
      const tensors = new BatchTensors(batch);
      parameters.forEach((p, m) => {
        const weights = Object.fromEntries(p.shapes.map(({ name }) => [name, p.tensor(name)]));
        const expected = tf.tidy(() => network.predict(weights, tensors).dataSync() as Float32Array);
        tf.dispose(Object.values(weights));
        const actual = forward.predict(batch, m);
        expect(new Uint32Array(actual.buffer)).toEqual(new Uint32Array(Float32Array.from(expected).buffer));
      });
      tensors.dispose();
    }
  });

  it("refuses a batch that is not deduplicated", () => {
    const shape: GcnShape = { features: 5, width: 8, layers: 2, head: 4, headActivation: "none" };
    const { encoding, archs } = randomGraphs(3, 1);
    const p = initialGcnParameters(shape, seededRng(1));
    const forward = new GcnForward(shape, [(name) => p.view(name)]);
    expect(() => forward.predict(new GraphSet(encoding, archs).batch(Int32Array.from(archs), false), 0)).toThrow(/deduplicated/);
  });
});

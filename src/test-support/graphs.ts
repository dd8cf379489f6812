import type { GraphEncoding } from "../spaces/types.js";
import { seededRng } from "../util/rng.js";

/** Random DAGs of 2..7 vertices with one-hot features (a stand-in for any graph space). */
export function randomGraphs(count: number, seed: number): { encoding: GraphEncoding<number>; archs: number[]; graphs: { n: number; adjacency: number[]; features: number[][] }[] } {
  const rng = seededRng(seed);
  const V = 7;
  const F = 5;
  const graphs = Array.from({ length: count }, () => {
    const n = 2 + rng.below(V - 1);
    const edges = Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) < k % n && rng.random() < 0.4 ? 1 : 0));
    const ops = Array.from({ length: n }, (_, v) => (v === 0 ? 1 : v === n - 1 ? 0 : 2 + rng.below(3)));
    return { n, edges, ops };
  });
  const encoding: GraphEncoding<number> = {
    vertices: V,
    features: F,
    encode(archs, adjacency, features, vertexCounts) {
      adjacency.fill(0, 0, archs.length * V * V);
      features.fill(0, 0, archs.length * V * F);
      archs.forEach((arch, b) => {
        const { n, edges, ops } = graphs[arch]!;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) adjacency[b * V * V + i * V + j] = edges[i * n + j]!;
          features[b * V * F + i * F + ops[i]!] = 1;
        }
        vertexCounts[b] = n;
      });
    },
  };
  return {
    encoding,
    archs: graphs.map((_, i) => i),
    graphs: graphs.map(({ n, edges, ops }) => ({ n, adjacency: edges, features: ops.map((op) => Array.from({ length: F }, (_, f) => (f === op ? 1 : 0))) })),
  };
}

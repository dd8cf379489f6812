"""Writes src/spaces/nasbench101/fixtures/reference_draws.json: what the official NAS-Bench-101 example
code draws for given seeds, so that prednas can test its sampler and mutation bit for bit.

It re-states, with NumPy and the standard library, the official behaviours the fixtures cover:
`random_spec` and `mutate_spec` of NASBench.ipynb (google-research/nasbench), on top of
`ModelSpec` pruning and `NASBench.is_valid`, and `graph_util.hash_module` for the hashes. The
draws come from the real `np.random` and `random` generators, which is the point: prednas
reimplements both streams.

Run from the repository root (needs Python 3 and NumPy; not needed by the tests):
    python3 scripts/reference_fixtures.py
"""
import copy
import hashlib
import json
import random

import numpy as np

OPS = ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"]
N = 7


def prune(matrix, ops):
    n = len(ops)
    fwd, stack = {0}, [0]
    while stack:
        top = stack.pop()
        for v in range(top + 1, n):
            if matrix[top][v] and v not in fwd:
                fwd.add(v)
                stack.append(v)
    bwd, stack = {n - 1}, [n - 1]
    while stack:
        top = stack.pop()
        for v in range(0, top):
            if matrix[v][top] and v not in bwd:
                bwd.add(v)
                stack.append(v)
    keep = sorted(fwd & bwd)
    if len(keep) < 2:
        return None
    return [[int(matrix[i][j]) for j in keep] for i in keep], [ops[i] for i in keep]


def is_valid(matrix, ops):
    pruned = prune(matrix, ops)
    if pruned is None:
        return False
    m, o = pruned
    if len(o) > 7 or sum(map(sum, m)) > 9 or o[0] != "input" or o[-1] != "output":
        return False
    return all(op in OPS for op in o[1:-1])


def hash_module(matrix, labels):
    n = len(labels)
    ins = [sum(matrix[w][v] for w in range(n)) for v in range(n)]
    outs = [sum(matrix[v]) for v in range(n)]
    hashes = [hashlib.md5(str(h).encode()).hexdigest() for h in zip(outs, ins, labels)]
    for _ in range(n):
        hashes = [
            hashlib.md5(
                ("".join(sorted(hashes[w] for w in range(n) if matrix[w][v])) + "|"
                 + "".join(sorted(hashes[w] for w in range(n) if matrix[v][w])) + "|"
                 + hashes[v]).encode()).hexdigest()
            for v in range(n)
        ]
    return hashlib.md5(str(sorted(hashes)).encode()).hexdigest()


def spec_hash(matrix, ops):
    m, o = prune(matrix, ops)
    return hash_module(m, [-1] + [OPS.index(op) for op in o[1:-1]] + [-2])


def random_spec():
    while True:
        matrix = np.random.choice([0, 1], size=(N, N))
        matrix = np.triu(matrix, 1)
        ops = np.random.choice(OPS, size=(N)).tolist()
        ops[0] = "input"
        ops[-1] = "output"
        if is_valid(matrix.tolist(), ops):
            return matrix.tolist(), ops


def mutate_spec(matrix, ops, mutation_rate=1.0):
    while True:
        new_matrix = copy.deepcopy(matrix)
        new_ops = copy.deepcopy(ops)
        for src in range(0, N - 1):
            for dst in range(src + 1, N):
                if random.random() < mutation_rate / N:
                    new_matrix[src][dst] = 1 - new_matrix[src][dst]
        for ind in range(1, N - 1):
            if random.random() < mutation_rate / (N - 2):
                available = [o for o in OPS if o != new_ops[ind]]
                new_ops[ind] = random.choice(available)
        if is_valid(new_matrix, new_ops):
            return new_matrix, new_ops


def main():
    samples = []
    for seed in [0, 1, 42, 2024]:
        np.random.seed(seed)
        specs = [random_spec() for _ in range(20)]
        samples.append({"seed": seed, "specs": [
            {"matrix": m, "ops": o, "hash": spec_hash(m, o)} for m, o in specs]})
    mutations = []
    np.random.seed(7)
    parents = [random_spec() for _ in range(5)]
    for seed, rate in [(0, 1.0), (3, 1.0), (11, 2.0), (5, 0.5)]:
        random.seed(seed)
        chain, (m, o) = [], parents[seed % len(parents)]
        for _ in range(20):
            m, o = mutate_spec(m, o, rate)
            chain.append({"matrix": m, "ops": o, "hash": spec_hash(m, o)})
        mutations.append({"seed": seed, "rate": rate, "parent": {
            "matrix": parents[seed % len(parents)][0], "ops": parents[seed % len(parents)][1]},
            "chain": chain})
    streams = {
        "python_random_seed_12345": (random.seed(12345), [random.random() for _ in range(5)])[1],
        "python_randbelow_seed_99_n_3": (random.seed(99), [random.randrange(3) for _ in range(20)])[1],
        "python_randbelow_seed_2_n_423624": (random.seed(2), [random.randrange(423624) for _ in range(10)])[1],
        "python_random_seed_2_pow_40": (random.seed(2 ** 40 + 7), [random.random() for _ in range(3)])[1],
        "numpy_random_sample_seed_5": (np.random.seed(5), np.random.random_sample(5).tolist())[1],
        "numpy_randint_seed_8_n_1000": (np.random.seed(8), np.random.randint(0, 1000, size=10).tolist())[1],
    }
    with open("src/spaces/nasbench101/fixtures/reference_draws.json", "w") as f:
        json.dump({"_generator": "scripts/reference_fixtures.py", "numpy": np.__version__,
                   "samples": samples, "mutations": mutations, "streams": streams}, f)


if __name__ == "__main__":
    main()

"""Optuna's own TPESampler on a NAS-Bench-201 table, with prednas's protocol (src/perf/peers.ts runs it).

Each run: a study maximising the validation accuracy, one categorical parameter per edge of the
cell ("edge 0->1" ... "edge 2->3", the operation codes 0-4 in NAS-Bench-201's order), Optuna's
TPESampler with its defaults (multivariate=True for the multivariate variant) seeded with the run's
seed, until the study has seen `budget` distinct cells. A repeated cell is answered from the table
again (Optuna learns from it as a trial) but not counted, and after 10 repeats with no new cell
between them the next trial is a uniform draw among the unseen cells (enqueued), the rule of
prednas's tpe (src/search/tpe.ts), so that both spend their budget in the same way.

Usage: python3 scripts/optuna_reference.py TABLE.json RUNS BUDGET VARIANT[,VARIANT]
TABLE.json: {"codes": [[6 codes] per cell], "values": [validation accuracy per cell]}, the cells in
the table's order. Prints one JSON object per run and variant: {"variant", "seed", "trials",
"cells": [index of each distinct cell, in the order first seen]}. Exits with status 3 and a message
when this Python has no optuna. Written for prednas; nothing here is copied.
"""
import json
import random
import sys
import warnings

try:
    import optuna
except ImportError:
    sys.stderr.write(f"{sys.executable} has no optuna: install it with 'apt-get install python3-optuna' to compare with Optuna\n")
    sys.exit(3)

EDGES = ["edge 0->1", "edge 0->2", "edge 1->2", "edge 0->3", "edge 1->3", "edge 2->3"]
OPERATIONS = [0, 1, 2, 3, 4]
REPEAT_LIMIT = 10


def run(codes, values, seed, budget, variant):
    index_of = {tuple(c): i for i, c in enumerate(codes)}
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=variant == "multivariate")
    study = optuna.create_study(direction="maximize", sampler=sampler)
    fallback = random.Random(seed)
    seen = []
    seen_set = set()
    repeats = 0

    def objective(trial):
        cell = index_of[tuple(trial.suggest_categorical(edge, OPERATIONS) for edge in EDGES)]
        trial.set_user_attr("cell", cell)
        return values[cell]

    while len(seen) < budget:
        if repeats >= REPEAT_LIMIT:
            cell = fallback.randrange(len(codes))
            while cell in seen_set:
                cell = fallback.randrange(len(codes))
            study.enqueue_trial(dict(zip(EDGES, codes[cell])))
            repeats = 0
        study.optimize(objective, n_trials=1)
        cell = study.trials[-1].user_attrs["cell"]
        if cell in seen_set:
            repeats += 1
        else:
            seen.append(cell)
            seen_set.add(cell)
            repeats = 0
    return {"variant": variant, "seed": seed, "trials": len(study.trials), "cells": seen}


def main():
    if len(sys.argv) != 5:
        sys.stderr.write(__doc__)
        sys.exit(2)
    table_path, runs, budget, variants = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")
    unknown = [v for v in variants if v not in ("multivariate", "univariate")]
    if unknown:
        sys.stderr.write(f"unknown variant(s) {', '.join(unknown)}: multivariate, univariate\n")
        sys.exit(2)
    with open(table_path) as handle:
        table = json.load(handle)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    for variant in variants:
        for seed in range(runs):
            print(json.dumps(run(table["codes"], table["values"], seed, budget, variant)), flush=True)


if __name__ == "__main__":
    main()

"""Fits the Accel-NASBench surrogates prednas ships (data/accel-nasbench/) and the test fixtures that
check prednas's TypeScript evaluator against xgboost (src/spaces/accelnasbench/fixtures/).

For each of the ten quantities (ImageNet validation top-1, train time, throughput on six devices,
latency on the two FPGAs) it fits one XGBoost regressor as the authors' fit_model.py does: their
SMAC-found hyperparameters (surrogate_hyperparameters/xgb_*.json, the `default` of each), up to
`num_rounds` rounds with early stopping on their validation split, objective reg:squarederror, on
their train split (splits/train_paths.json), with the architecture given as ConfigSpace's
`get_array()` gives it: the index of each choice's value in configspace.json, choices in name order.
Then it measures each surrogate on the authors' test split (R^2, Kendall tau-b, Spearman, MAE).

Determinism: nthread=1 and a fixed seed (default 3, the authors' README seed). With one thread the
exact tree method and the column sampling draw from xgboost's own seeded generator only, so the
same xgboost version gives the same trees; this script refuses other xgboost versions than the one
the shipped files were made with (1.7.4, Debian's python3-xgboost) unless told --any-xgboost.

What it writes:
  OUT/surrogates.json     the fitted trees in prednas's compact form (below), with the measured
                          fidelity, the measured records and the hyperparameters; scripts/pack-accel.ts
                          packs it into data/accel-nasbench/accel-nasbench.bin
  FIXTURES/xgboost_predictions.json   xgboost's own predictions (float32, base64) for uniform
                          draws of the space and the authors' test architectures

The compact form of a tree: its nodes in preorder (a split's left subtree follows it, then its
right subtree), one byte each: 255 for a leaf, else feature * 8 + cut, where feature is the choice
the split tests and cut the smallest value index that goes right (xgboost sends x < split_condition
left; on integer indices that is x < ceil(split_condition)); each leaf's value, a float32, in `leaf`
in the same order. xgboost's
prediction is then base_score plus the trees' leaves, summed in float32 in tree order.

Run from the repository root (needs /usr/bin/python3 with xgboost and numpy, and scipy for tau):
    /usr/bin/python3 scripts/accel_surrogates.py [--data ../shared/data/accel-nasbench] [--seed 3]
        [--out .tmp/accel-nasbench] [--fixtures src/spaces/accelnasbench/fixtures]
    npx tsx scripts/pack-accel.ts .tmp/accel-nasbench/surrogates.json
"""
import argparse
import base64
import io
import json
import math
import os
import re
import tarfile

import numpy as np
import xgboost as xgb
from scipy.stats import kendalltau, spearmanr

XGBOOST_VERSION = "1.7.4"
LEAF = 255
# A split is stored as feature * CUTS + cut in one byte.
CUTS = 8

# name, file of hyperparameters, where the value is in a result file
SURROGATES = [
    ("val_top1", "xgb_configspace.json", ("metrics", "val_top1")),
    ("train_time", "xgb_time_configspace.json", ("metrics", "train_time")),
] + [
    (f"{metric}_{device}", f"xgb_accel_{device}_{metric}_configspace.json", ("platform_perf", f"{metric}_{device}", f"{metric}_mean"))
    for metric, devices in (("throughput", ("a100", "3090", "tpuv2", "tpuv3", "zcu102", "vck190")), ("latency", ("zcu102", "vck190")))
    for device in devices
]

# The authors' figures for their accuracy surrogate (README, random 0.8/0.1/0.1 split, seed 3).
AUTHORS_ACCURACY = {"r2": 0.9839661171659461, "kendall_tau": 0.9170514701750982, "spearman": 0.98994312462432, "mae": 0.3169779104452133}


def read_records(tarball):
    """result_N.json name -> record, from the authors' archive as shipped."""
    records = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            name = os.path.basename(member.name)
            if member.isfile() and re.fullmatch(r"result_\d+\.json", name):
                records[name] = json.load(archive.extractfile(member))
    return records


def choices(configspace):
    hyperparameters = json.load(open(configspace))["hyperparameters"]
    # ConfigSpace orders unconditioned hyperparameters by name; so does prednas's ChoicesSpace.
    return sorted(((h["name"], h["choices"]) for h in hyperparameters), key=lambda pair: pair[0])


def encode(architecture, space):
    return [values.index(architecture[name]) for name, values in space]


def value_at(record, where):
    """The value, or None where the record lacks it (81 throughput and latency figures are null)."""
    for key in where:
        record = record[key]
    return None if record is None else float(record)


def hyperparameters(path):
    chosen = {}
    for h in json.load(open(path))["hyperparameters"]:
        chosen[h["name"]] = h["default"] if "default" in h else h["value"]
    params = {k[len("param:"):]: v for k, v in chosen.items() if k.startswith("param:") and k not in ("param:num_rounds", "param:bananas_enc")}
    if chosen.get("param:bananas_enc"):
        raise SystemExit(f"{path}: bananas_enc is set; this script fits on ConfigSpace's array only")
    return params, int(chosen["param:num_rounds"]), int(chosen["early_stopping_rounds"])


def fit(name, params, rounds, patience, seed, train, val):
    config = dict(params, objective="reg:squarederror", eval_metric="rmse", seed=seed, nthread=1)
    booster = xgb.train(config, xgb.DMatrix(train[0], label=train[1]), num_boost_round=rounds, early_stopping_rounds=patience, evals=[(xgb.DMatrix(val[0], label=val[1]), "val")], verbose_eval=False)
    print(f"{name}: {booster.num_boosted_rounds()} trees (best iteration {booster.best_iteration})", flush=True)
    return booster


def compact(booster):
    """The booster's trees in the compact preorder form, and its base score (float32)."""
    model = json.loads(booster.save_raw("json"))["learner"]
    base = float(np.float32(float(model["learner_model_param"]["base_score"])))
    trees = []
    for tree in model["gradient_booster"]["model"]["trees"]:
        left, right, feature, condition = tree["left_children"], tree["right_children"], tree["split_indices"], tree["split_conditions"]
        nodes, leaves = [], []
        stack = [0]
        while stack:
            node = stack.pop()
            if left[node] == -1:
                nodes.append(LEAF)
                leaves.append(float(np.float32(condition[node])))
            else:
                cut = math.ceil(np.float32(condition[node]))
                assert 1 <= cut < CUTS and feature[node] * CUTS + cut < LEAF, (feature[node], condition[node])
                nodes.append(feature[node] * CUTS + cut)
                stack += [right[node], left[node]]
        trees.append({"nodes": nodes, "leaf": leaves})
    return base, trees


def fidelity(truth, predicted):
    truth, predicted = np.asarray(truth, dtype=np.float64), np.asarray(predicted, dtype=np.float64)
    residual = np.sum((truth - predicted) ** 2)
    return {
        "r2": float(1 - residual / np.sum((truth - truth.mean()) ** 2)),
        "kendall_tau": float(kendalltau(truth, predicted)[0]),
        "spearman": float(spearmanr(truth, predicted).correlation),
        "mae": float(np.mean(np.abs(truth - predicted))),
    }


def float32_base64(values):
    return base64.b64encode(np.asarray(values, dtype="<f4").tobytes()).decode("ascii")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join("..", "shared", "data", "accel-nasbench"))
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(".tmp", "accel-nasbench"))
    parser.add_argument("--fixtures", default=os.path.join("src", "spaces", "accelnasbench", "fixtures"))
    parser.add_argument("--fixture-draws", type=int, default=2000)
    parser.add_argument("--any-xgboost", action="store_true")
    args = parser.parse_args()
    if xgb.__version__ != XGBOOST_VERSION and not args.any_xgboost:
        raise SystemExit(f"xgboost {xgb.__version__} is not {XGBOOST_VERSION}, the version the shipped surrogates were fitted with (--any-xgboost to go on)")

    space = choices(os.path.join(args.data, "configspace.json"))
    records = read_records(os.path.join(args.data, "anb_dataset_jsons.tar.gz"))
    splits = {part: [os.path.basename(p) for p in json.load(open(os.path.join(args.data, "splits", f"{part}_paths.json")))] for part in ("train", "val", "test")}
    X = {part: np.array([encode(records[f]["architecture"], space) for f in files], dtype=np.float32) for part, files in splits.items()}

    # Uniform draws of the space for the fixtures, from a generator of their own.
    rng = np.random.RandomState(args.seed)
    draws = np.array([[rng.randint(len(values)) for _, values in space] for _ in range(args.fixture_draws)], dtype=np.float32)
    fixture_archs = np.concatenate([draws, X["test"]])

    surrogates, fixture_predictions = [], {}
    for name, file, where in SURROGATES:
        params, rounds, patience = hyperparameters(os.path.join(args.data, "surrogate_hyperparameters", file))
        # As the authors' loader does, a record without the value is left out of that surrogate's data.
        y, x = {}, {}
        for part, files in splits.items():
            have = [i for i, f in enumerate(files) if value_at(records[f], where) is not None]
            y[part] = np.array([value_at(records[files[i]], where) for i in have])
            x[part] = X[part][have]
        booster = fit(name, params, rounds, patience, args.seed, (x["train"], y["train"]), (x["val"], y["val"]))
        base, trees = compact(booster)
        surrogates.append({
            "name": name,
            "source": list(where),
            "hyperparameters": dict(params, num_rounds=rounds, early_stopping_rounds=patience),
            "trees": len(trees),
            "bestIteration": booster.best_iteration,
            "examples": {part: len(y[part]) for part in y},
            "fidelity": {part: fidelity(y[part], booster.predict(xgb.DMatrix(x[part]))) for part in ("train", "val", "test")},
            "baseScore": base,
            "model": trees,
        })
        print(f"  test: {surrogates[-1]['fidelity']['test']}", flush=True)
        predictions = booster.predict(xgb.DMatrix(fixture_archs))
        assert predictions.dtype == np.float32
        fixture_predictions[name] = float32_base64(predictions)

    # Every measured record, for `bench query` (the 13 repeated architectures keep both records).
    names = sorted(records, key=lambda f: int(re.search(r"\d+", f).group()))
    # A value a record lacks is null (NaN in the shipped data).
    measured = {
        "files": [int(re.search(r"\d+", f).group()) for f in names],
        "archs": ["".join(str(i) for i in encode(records[f]["architecture"], space)) for f in names],
        "split": [next((part for part, files in splits.items() if f in files), "none") for f in names],
        "values": {name: [value_at(records[f], where) for f in names] for name, _, where in SURROGATES},
        "extra": {key: [value_at(records[f], where) for f in names] for key, where in (("val_top5", ("metrics", "val_top5")), ("macs", ("model_info", "macs")), ("params", ("model_info", "params")))},
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "surrogates.json"), "w") as out:
        json.dump({"xgboost": xgb.__version__, "seed": args.seed, "choices": space, "authorsAccuracy": AUTHORS_ACCURACY, "surrogates": surrogates, "measured": measured}, out)
    os.makedirs(args.fixtures, exist_ok=True)
    with open(os.path.join(args.fixtures, "xgboost_predictions.json"), "w") as out:
        json.dump({
            "xgboost": xgb.__version__,
            "seed": args.seed,
            "archs": ["".join(str(int(i)) for i in row) for row in fixture_archs],
            "predictions": fixture_predictions,
        }, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()

"""The PyTorch side of prednas's predictor benchmark (src/perf/torch.ts runs it in the same run).

Fits and scores, in one thread, the two reference predictors with the settings prednas uses:
- the Neural Predictor's GCN (Wen et al.; layer as in the PyTorch reproduction
  ultmaster/neuralpredictor.pytorch): 3 directed graph convolutions of width 144 (relu of the
  row-normalised A + I and A^T + I products, averaged, dropout 0.1), mean readout over the real
  vertices, a linear head 144 -> 128 -> 1 without biases, MSE on the standardised accuracy, Adam
  (lr 1e-4, weight decay 1e-3) with cosine annealing, 300 epochs of batches of 10, the last partial
  batch dropped;
- the BANANAS ensemble: 5 MLPs of 10 x 20 ReLU on the path encoding, linear output, mean absolute
  error on the error in percent, Adam (lr 0.01, betas 0.9 / 0.99), batches of 32, 150 epochs.
and scores every architecture of the space with each.

Usage: python3 scripts/torch_reference.py DIR, where DIR holds what the benchmark wrote:
meta.json (sizes and settings), the training set (dense float32 arrays) and the whole space in a
compact form (uint8 adjacency, int8 vertex labels, vertex counts; CSR path indices). Prints one
JSON object with the fit and scoring times in seconds and this process's configuration (what
decides PyTorch's speed: see `configuration`). `python3 scripts/torch_reference.py --configuration`
prints the configuration only. Written for prednas; nothing here is copied.
"""
import ctypes
import json
import os
import re
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


# What changes the speed of PyTorch's CPU kernels and of the BLAS it calls: OpenBLAS's kernel choice
# (OPENBLAS_CORETYPE forces one, OPENBLAS_L2_SIZE overrides the cache size it blocks for), the
# thread counts of OpenBLAS, OpenMP and MKL, and ATen's own SIMD level (ATEN_CPU_CAPABILITY).
ENVIRONMENT = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OPENBLAS_VERBOSE", "GOTO_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MKL_DEBUG_CPU_TYPE", "MKL_ENABLE_INSTRUCTIONS", "ATEN_CPU_CAPABILITY")


def blas_libraries():
    """The BLAS and LAPACK shared objects this process has loaded (the libblas.so.3 alternative decides which)."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "/" in line}
    return sorted(path for path in paths if re.search(r"lib(open)?blas|libmkl|liblapack|libblis", os.path.basename(path)))


def openblas(libraries):
    """OpenBLAS's kernel (core type), build configuration and thread count, when it is the loaded BLAS."""
    path = next((path for path in libraries if "openblas" in os.path.basename(path)), None)
    if path is None:
        return None
    library = ctypes.CDLL(path)  # the handle of the copy already loaded
    library.openblas_get_corename.restype = ctypes.c_char_p
    library.openblas_get_config.restype = ctypes.c_char_p
    return {
        "library": path,
        "coretype": library.openblas_get_corename().decode(),
        "config": library.openblas_get_config().decode(),
        "threads": library.openblas_get_num_threads(),
    }


def configuration():
    """This process's PyTorch configuration: what decides its speed here."""
    show = torch.__config__.show()
    blas_info = re.search(r"BLAS_INFO=(\w+)", show)
    capability = re.search(r"CPU capability usage: (\w+)", show)
    libraries = blas_libraries()
    with open("/proc/cpuinfo") as f:
        flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    return {
        "torch": torch.__version__,
        "blasInfo": blas_info.group(1) if blas_info else None,
        "mkl": torch.backends.mkl.is_available(),
        "cpuCapability": capability.group(1) if capability else None,
        "blasLibraries": libraries,
        "openblas": openblas(libraries),
        "threads": torch.get_num_threads(),
        "interopThreads": torch.get_num_interop_threads(),
        "environment": {name: os.environ[name] for name in ENVIRONMENT if name in os.environ},
        "cpuFlags": [flag for flag in ("avx2", "fma", "avx512f") if flag in flags],
        "loadAverage": os.getloadavg()[0],
    }


def load(directory, name, dtype, shape):
    return np.fromfile(os.path.join(directory, name), dtype=dtype).reshape(shape)


class DirectedGraphConvolution(nn.Module):
    def __init__(self, inputs, outputs):
        super().__init__()
        self.forward_weight = nn.Parameter(torch.empty(inputs, outputs))
        self.backward_weight = nn.Parameter(torch.empty(inputs, outputs))
        nn.init.xavier_uniform_(self.forward_weight)
        nn.init.xavier_uniform_(self.backward_weight)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h, forward_adjacency, backward_adjacency):
        out = torch.relu(forward_adjacency @ (h @ self.forward_weight)) + torch.relu(backward_adjacency @ (h @ self.backward_weight))
        return self.dropout(out / 2)


class NeuralPredictor(nn.Module):
    def __init__(self, features, width=144, layers=3, head=128):
        super().__init__()
        self.layers = nn.ModuleList([DirectedGraphConvolution(features if i == 0 else width, width) for i in range(layers)])
        self.hidden = nn.Linear(width, head, bias=False)
        self.dropout = nn.Dropout(0.1)
        self.output = nn.Linear(head, 1, bias=False)

    def forward(self, adjacency, features, counts):
        vertices = adjacency.shape[1]
        eye = torch.eye(vertices).unsqueeze(0)
        # Padding vertices have no edges: A + I keeps their rows non-zero, the readout ignores them.
        forward_adjacency = adjacency + eye
        forward_adjacency = forward_adjacency / forward_adjacency.sum(2, keepdim=True)
        backward_adjacency = adjacency.transpose(1, 2) + eye
        backward_adjacency = backward_adjacency / backward_adjacency.sum(2, keepdim=True)
        h = features
        for layer in self.layers:
            h = layer(h, forward_adjacency, backward_adjacency)
        mask = (torch.arange(vertices).unsqueeze(0) < counts.unsqueeze(1)).float().unsqueeze(2)
        pooled = (h * mask).sum(1) / counts.unsqueeze(1)
        return self.output(self.dropout(self.hidden(pooled))).view(-1)


def gcn_inputs(adjacency_bits, labels, counts, vertices, features):
    """Dense float tensors from the compact form: labels -1 input, -2 output, 0.. interior ops, -3 padding."""
    adjacency = torch.from_numpy(adjacency_bits.astype(np.float32)).view(-1, vertices, vertices)
    one_hot = np.zeros((labels.shape[0], vertices, features), dtype=np.float32)
    # The one-hot order of prednas's graph encoding: [output, input, op 0, op 1, ...] = label + 2.
    rows, columns = np.nonzero(labels >= -2)
    one_hot[rows, columns, labels[rows, columns] + 2] = 1
    return adjacency, torch.from_numpy(one_hot), torch.from_numpy(counts.astype(np.float32))


def fit_gcn(meta, directory):
    g = meta["gcn"]
    vertices, features, n = g["vertices"], g["features"], g["train"]
    adjacency = torch.from_numpy(load(directory, "gcn_train_adjacency.f32", np.float32, (n, vertices, vertices)))
    one_hot = torch.from_numpy(load(directory, "gcn_train_features.f32", np.float32, (n, vertices, features)))
    counts = torch.from_numpy(load(directory, "gcn_train_counts.f32", np.float32, (n,)))
    y = torch.from_numpy(load(directory, "gcn_train_targets.f32", np.float32, (n,)))
    model = NeuralPredictor(features)
    epochs, batch = g["epochs"], g["batchSize"]
    optimiser = torch.optim.Adam(model.parameters(), lr=g["learningRate"], weight_decay=g["weightDecay"])
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, epochs)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n - batch + 1, batch):
            rows = order[start : start + batch]
            optimiser.zero_grad()
            loss = nn.functional.mse_loss(model(adjacency[rows], one_hot[rows], counts[rows]), y[rows])
            loss.backward()
            optimiser.step()
        schedule.step()
    return model


def score_gcn(model, meta, directory):
    g = meta["gcn"]
    vertices, features, size = g["vertices"], g["features"], meta["size"]
    bits = load(directory, "all_adjacency.u8", np.uint8, (size, vertices * vertices))
    labels = load(directory, "all_labels.i8", np.int8, (size, vertices)).astype(np.int64)
    counts = load(directory, "all_counts.u8", np.uint8, (size,))
    model.eval()
    out = np.empty(size, dtype=np.float32)
    with torch.no_grad():
        for start in range(0, size, 4096):
            end = min(size, start + 4096)
            out[start:end] = model(*gcn_inputs(bits[start:end], labels[start:end], counts[start:end], vertices, features)).numpy()
    return out


def mlp_member(width, layers, units):
    modules, inputs = [], width
    for _ in range(layers):
        modules += [nn.Linear(inputs, units), nn.ReLU()]
        inputs = units
    modules.append(nn.Linear(inputs, 1))
    network = nn.Sequential(*modules)
    for module in network:
        if isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    return network


def fit_mlp(meta, directory):
    m = meta["mlp"]
    n, width = m["train"], m["width"]
    x = torch.from_numpy(load(directory, "mlp_train_inputs.f32", np.float32, (n, width)))
    y = torch.from_numpy(load(directory, "mlp_train_targets.f32", np.float32, (n,)))
    members = []
    for _ in range(m["members"]):
        network = mlp_member(width, m["layers"], m["width_units"])
        optimiser = torch.optim.Adam(network.parameters(), lr=m["learningRate"], betas=(0.9, 0.99), eps=1e-7)
        for _ in range(m["epochs"]):
            order = torch.randperm(n)
            for start in range(0, n, m["batchSize"]):
                rows = order[start : start + m["batchSize"]]
                optimiser.zero_grad()
                loss = (network(x[rows]).view(-1) - y[rows]).abs().mean()
                loss.backward()
                optimiser.step()
        members.append(network)
    return members


def score_mlp(members, meta, directory):
    width, size = meta["mlp"]["width"], meta["size"]
    offsets = load(directory, "all_path_offsets.i32", np.int32, (size + 1,))
    indices = load(directory, "all_path_indices.i16", np.int16, (offsets[-1],)).astype(np.int64)
    out = np.empty(size, dtype=np.float32)
    with torch.no_grad():
        for start in range(0, size, 4096):
            end = min(size, start + 4096)
            dense = torch.zeros(end - start, width)
            rows = np.repeat(np.arange(end - start), np.diff(offsets[start : end + 1]))
            dense[torch.from_numpy(rows), torch.from_numpy(indices[offsets[start] : offsets[end]])] = 1
            out[start:end] = torch.stack([member(dense).view(-1) for member in members]).mean(0).numpy()
    return out


def timed(f, *args):
    """f's result, wall seconds and this process's CPU seconds (on a shared machine the CPU time shows what load added)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = f(*args)
    return result, time.perf_counter() - start, time.process_time() - cpu


def main():
    if sys.argv[1] == "--configuration":
        print(json.dumps(configuration()))
        return
    directory = sys.argv[1]
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    torch.manual_seed(meta["seed"])
    gcn, gcn_fit, gcn_fit_cpu = timed(fit_gcn, meta, directory)
    gcn_scores, gcn_score, gcn_score_cpu = timed(score_gcn, gcn, meta, directory)
    mlp, mlp_fit, mlp_fit_cpu = timed(fit_mlp, meta, directory)
    mlp_scores, mlp_score, mlp_score_cpu = timed(score_mlp, mlp, meta, directory)
    finite = bool(np.isfinite(gcn_scores).all() and np.isfinite(mlp_scores).all())
    print(json.dumps({"configuration": configuration(), "gcnFit": gcn_fit, "gcnScore": gcn_score, "mlpFit": mlp_fit, "mlpScore": mlp_score, "cpu": {"gcnFit": gcn_fit_cpu, "gcnScore": gcn_score_cpu, "mlpFit": mlp_fit_cpu, "mlpScore": mlp_score_cpu}, "finite": finite}))


if __name__ == "__main__":
    main()

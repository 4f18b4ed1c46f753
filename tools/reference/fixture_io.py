"""File formats for the fixtures: a hand-written safetensors writer/reader, official-style
`step_N` checkpoints and `all_config.yaml`, and datasets in the official on-disk format
(spec 6.1). Only numpy, torch and PyYAML (all Debian packages) are used."""
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import yaml

OFFICIAL_PREFIX = "_orig_mod.model.inner."

_ST_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.bfloat16: "BF16",
              torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}
_ST_TORCH = {v: k for k, v in _ST_DTYPES.items()}


def save_safetensors(path, tensors, metadata):
    """8-byte LE header length, JSON header (dtype, shape, data_offsets; __metadata__ str->str),
    header padded with spaces to a multiple of 8, then the raw little-endian data. Tensors are
    laid out by element size (largest first), then name, so every tensor is naturally aligned."""
    order = sorted(tensors, key=lambda n: (-tensors[n].element_size(), n))
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    chunks, offset = [], 0
    for name in order:
        t = tensors[name].detach().contiguous().cpu()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def load_safetensors(path):
    """Inverse of save_safetensors (used to verify every file after writing it)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    base, out = 8 + n, {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = _ST_TORCH[info["dtype"]]
        raw = bytearray(data[base + begin:base + end])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16)
        else:
            t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"])
    return out, metadata


def save_official_checkpoint(inner, path):
    """torch.save of the OrderedDict state dict with keys `_orig_mod.model.inner.<name>`, produced
    by a real module tree so the pickle carries the same `_metadata` entries as the official one."""
    root, orig, model = nn.Module(), nn.Module(), nn.Module()
    root.add_module("_orig_mod", orig)
    orig.add_module("model", model)
    model.add_module("inner", inner)
    state = root.state_dict()
    assert all(k.startswith(OFFICIAL_PREFIX) for k in state)
    torch.save(state, path)
    return state


def write_all_config(path, arch, training):
    """all_config.yaml in the official layout: training keys at the top level and the model under
    `arch:` (no seq_len/vocab_size/num_puzzle_identifiers: those come from data or tensors).
    PyYAML's default dump (sorted keys, block style) like the official trainer's yaml.dump."""
    doc = dict(training)
    doc["arch"] = {
        "name": "recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1",
        "loss": {"name": "losses@ACTLossHead", "loss_type": "stablemax_cross_entropy"},
        **arch,
    }
    with open(path, "w") as f:
        yaml.dump(doc, f)


def training_keys(global_batch_size, epochs, eval_interval, lr, lr_min_ratio, lr_warmup_steps,
                  weight_decay, puzzle_emb_lr, puzzle_emb_weight_decay, ema_rate, ema=True,
                  data_paths=("data",), seed=0):
    return {
        "data_paths": list(data_paths), "data_paths_test": [], "evaluators": [],
        "global_batch_size": global_batch_size, "epochs": epochs, "eval_interval": eval_interval,
        "min_eval_interval": 0, "lr": lr, "lr_min_ratio": lr_min_ratio,
        "lr_warmup_steps": lr_warmup_steps, "weight_decay": weight_decay, "beta1": 0.9,
        "beta2": 0.95, "puzzle_emb_lr": puzzle_emb_lr,
        "puzzle_emb_weight_decay": puzzle_emb_weight_decay, "ema": ema, "ema_rate": ema_rate,
        "seed": seed, "checkpoint_every_eval": True, "checkpoint_path": "checkpoints/fixture",
        "load_checkpoint": None, "project_name": "trm4j-fixtures", "run_name": "fixture",
        "eval_save_outputs": [], "freeze_weights": False,
    }


def write_dataset(root, inputs, labels, puzzle_identifiers, names, vocab_size):
    """Official on-disk format (spec 6.1), one example per puzzle and one puzzle per group, so the
    file order is example i = puzzle i = group i. The same arrays go to train/ and test/."""
    n, seq_len = labels.shape
    for split in ("train", "test"):
        d = os.path.join(root, split)
        os.makedirs(d, exist_ok=True)
        np.save(os.path.join(d, "all__inputs.npy"), inputs)
        np.save(os.path.join(d, "all__labels.npy"), labels)
        np.save(os.path.join(d, "all__puzzle_identifiers.npy"), puzzle_identifiers.astype(np.int32))
        np.save(os.path.join(d, "all__puzzle_indices.npy"), np.arange(n + 1, dtype=np.int32))
        np.save(os.path.join(d, "all__group_indices.npy"), np.arange(n + 1, dtype=np.int32))
        meta = {"pad_id": 0, "ignore_label_id": 0, "blank_identifier_id": 0,
                "vocab_size": vocab_size, "seq_len": seq_len, "num_puzzle_identifiers": len(names),
                "total_groups": n, "mean_puzzle_examples": 1.0, "total_puzzles": n, "sets": ["all"]}
        with open(os.path.join(d, "dataset.json"), "w") as f:
            json.dump(meta, f)
    with open(os.path.join(root, "identifiers.json"), "w") as f:
        json.dump(names, f)


def load_batch(split_dir):
    """What the official loader hands the model for a batch holding the whole split in file order:
    everything cast to int32, label == ignore_label_id (0) mapped to -100."""
    arr = {k: np.load(os.path.join(split_dir, f"all__{k}.npy"))
           for k in ("inputs", "labels", "puzzle_identifiers", "puzzle_indices")}
    with open(os.path.join(split_dir, "dataset.json")) as f:
        meta = json.load(f)
    # one example per puzzle: example i belongs to puzzle i
    assert (arr["puzzle_indices"] == np.arange(len(arr["labels"]) + 1)).all()
    labels = arr["labels"].astype(np.int32)
    labels[labels == meta["ignore_label_id"]] = -100
    return {"inputs": torch.from_numpy(arr["inputs"].astype(np.int32)),
            "labels": torch.from_numpy(labels),
            "puzzle_identifiers": torch.from_numpy(arr["puzzle_identifiers"].astype(np.int32))}


def load_official(case_dir, seq_len=None):
    """Read `step_0` + `all_config.yaml` the way trm4j must: the architecture from `arch:`, the
    sizes from tensor shapes (vocab from embed_tokens, ids from the puzzle table; seq_len from the
    mlp_t width, else from the caller, i.e. the dataset or the inputs). Returns (arch, training,
    seq_len, vocab_size, num_puzzle_identifiers, state dict without prefix)."""
    with open(os.path.join(case_dir, "all_config.yaml")) as f:
        doc = yaml.safe_load(f)
    arch = {k: v for k, v in doc.pop("arch").items() if k not in ("name", "loss")}
    raw = torch.load(os.path.join(case_dir, "step_0"), map_location="cpu")
    state = {}
    for key, value in raw.items():
        for prefix in ("_orig_mod.", "model.inner."):
            key = key[len(prefix):] if key.startswith(prefix) else key
        state[key] = value
    vocab_size = state["embed_tokens.embedding_weight"].shape[0]
    num_ids = state["puzzle_emb.weights"].shape[0]
    mixer = "L_level.layers.0.mlp_t.gate_up_proj.weight"
    if mixer in state:
        seq_len = state[mixer].shape[1] - arch["puzzle_emb_len"]
    return arch, doc, seq_len, vocab_size, num_ids, state

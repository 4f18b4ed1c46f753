"""Deterministic golden fixtures for trm4j's parity tests (see README.md beside this file).

  /usr/bin/python3 tools/reference/make_fixtures.py [--out src/test/resources/fixtures] [--only NAME]

Writes fixtures/parity/<case>/ (forward, eval mode) and fixtures/train/<case>/ (3 training steps).
Every case is seeded; running the script twice gives byte-identical files."""
import argparse
import dataclasses
import json
import os
import shutil

import numpy as np
import torch

import fixture_io as io
import trm_ref as R

torch.set_num_threads(1)  # reproducible reductions

ARCH_KEYS = ("halt_exploration_prob", "halt_max_steps", "H_cycles", "L_cycles", "H_layers",
             "L_layers", "hidden_size", "num_heads", "expansion", "puzzle_emb_ndim",
             "puzzle_emb_len", "pos_encodings", "forward_dtype", "mlp_t", "no_ACT_continue")

# Forward cases. Hidden sizes are small because the SwiGLU inner size is at least 256 (section
# 1.5), so each 2-layer net is ~100 KB of fp32 weights per copy (step_0 + case.safetensors).
PARITY = {
    # Sudoku-like MLP mixer: 4x4 grid, vocab 11, a real 4-row prefix (rows 1..3 zero).
    "mlp": dict(cfg=dict(seq_len=16, vocab_size=11, num_puzzle_identifiers=1, hidden_size=8,
                         num_heads=2, H_cycles=2, L_cycles=2, halt_max_steps=3, puzzle_emb_ndim=8,
                         puzzle_emb_len=4, pos_encodings="none", mlp_t=True),
                batch=3, seed=14, grid="sudoku", keep_carry=True),
    # Sudoku-shaped attention + RoPE: 9x9, vocab 11.
    "att": dict(cfg=dict(seq_len=81, vocab_size=11, num_puzzle_identifiers=1, hidden_size=16,
                         num_heads=2, H_cycles=3, L_cycles=2, halt_max_steps=3, puzzle_emb_ndim=16,
                         puzzle_emb_len=4, pos_encodings="rope"),
                batch=2, seed=12, grid="sudoku", keep_carry=True),
    # ARC-shaped: 30x30 canvas, vocab 12, P = 16 as in the paper, 6 puzzle ids with distinct rows.
    "arc": dict(cfg=dict(seq_len=900, vocab_size=12, num_puzzle_identifiers=6, hidden_size=16,
                         num_heads=2, H_cycles=2, L_cycles=2, halt_max_steps=3, puzzle_emb_ndim=16,
                         puzzle_emb_len=16, pos_encodings="rope"),
                batch=2, seed=38, grid="arc", puzzle_ids=[4, 1], keep_carry=False),
}

# Training cases: dataset size == global batch, 3 steps, warm-up 2, exploration 0.
TRAIN = {
    # MLP mixer, 2x2 grids, one shared puzzle id (its 4 gradient rows are scatter-added).
    "mlp": dict(cfg=dict(seq_len=4, vocab_size=6, num_puzzle_identifiers=1, hidden_size=8,
                         num_heads=2, H_cycles=2, L_cycles=2, halt_max_steps=2, puzzle_emb_ndim=8,
                         puzzle_emb_len=2, pos_encodings="none", mlp_t=True),
                train=dict(lr=1e-3, lr_min_ratio=1.0, weight_decay=1.0, puzzle_emb_lr=1e-2,
                           puzzle_emb_weight_decay=1.0, ema_rate=0.999),
                seed=21, grid="sudoku", puzzle_ids=[0, 0, 0, 0]),
    # Attention + RoPE on 6x6 ARC-like grids; ids 1,3,3,4 of a 5-row table (rows 0 and 2 absent),
    # PAD labels ignored, one example with no valid label at all; cosine schedule (min ratio 0.1).
    "att": dict(cfg=dict(seq_len=36, vocab_size=12, num_puzzle_identifiers=5, hidden_size=8,
                         num_heads=2, H_cycles=2, L_cycles=2, halt_max_steps=2, puzzle_emb_ndim=8,
                         puzzle_emb_len=4, pos_encodings="rope"),
                train=dict(lr=1e-3, lr_min_ratio=0.1, weight_decay=0.1, puzzle_emb_lr=1e-2,
                           puzzle_emb_weight_decay=0.1, ema_rate=0.9),
                seed=22, grid="arc", puzzle_ids=[1, 3, 3, 4]),
}
TRAIN_STEPS = 3
TRAIN_BATCH = 4


def make_config(cfg, dtype="float32", **extra):
    base = dict(expansion=4, L_layers=2, halt_exploration_prob=0.1, forward_dtype=dtype)
    base.update(cfg)
    base.update(extra)
    return R.TRMConfig(**base)


def build(cfg, seed):
    """Section 1.8 init, then non-trivial Q head and puzzle rows so every output varies."""
    g = torch.Generator().manual_seed(seed)
    act = R.ACT(cfg)
    inner = act.inner
    inner.initialise(g)
    d = cfg.hidden_size
    R.trunc_normal_(inner.q_head.weight, d ** -0.5, g)
    R.trunc_normal_(inner.q_head.bias, 0.5, g)
    R.trunc_normal_(inner.puzzle_emb.weights, d ** -0.5, g)
    return act, g


def sudoku_like(g, batch, seq_len, vocab):
    """Random tokens: inputs 1..V-1 (1 = blank), labels 2..V-1 (every cell supervised)."""
    inputs = torch.randint(1, vocab, (batch, seq_len), generator=g)
    labels = torch.randint(2, vocab, (batch, seq_len), generator=g)
    return inputs, labels


def arc_like(g, batch, seq_len, vocab):
    """ARC encoding on a side x side canvas: PAD 0, EOS 1, colours 2..V-1; the grid at (r0, c0)
    with an EOS row below and an EOS column to the right. Labels are a recoloured grid of the same
    shape; PAD cells are unsupervised."""
    side = int(round(seq_len ** 0.5))
    inputs = torch.zeros(batch, side, side, dtype=torch.int64)
    labels = torch.zeros(batch, side, side, dtype=torch.int64)
    for b in range(batch):
        h, w = (int(v) for v in torch.randint(2, side - 1, (2,), generator=g))
        r0, c0 = (int(v) for v in torch.randint(0, side - max(h, w), (2,), generator=g))
        for canvas in (inputs[b], labels[b]):
            canvas[r0:r0 + h, c0:c0 + w] = torch.randint(2, vocab, (h, w), generator=g)
            if r0 + h < side:
                canvas[r0 + h, c0:c0 + w] = 1
            if c0 + w < side:
                canvas[r0:r0 + h, c0 + w] = 1
    return inputs.view(batch, -1), labels.view(batch, -1)


def arch_dict(cfg):
    return {k: getattr(cfg, k) for k in ARCH_KEYS}


def weights(inner):
    """Every state-dict tensor under its official name without prefix, as float32."""
    return {k: v.float() for k, v in inner.state_dict().items()}


def fresh_dir(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)


def top2_gap(logits):
    top = logits.float().topk(2, dim=-1).values
    return float((top[..., 0] - top[..., 1]).min())


def write_case(path, tensors, metadata):
    io.save_safetensors(path, tensors, metadata)
    back, meta = io.load_safetensors(path)
    assert meta == {k: str(v) for k, v in metadata.items()}
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and torch.equal(back[k], v), k


# ---------------------------------------------------------------------------------------------

def make_parity(out_root, name, spec, dtype="float32", source=None):
    cfg = make_config(spec["cfg"], dtype)
    act, g = build(make_config(spec["cfg"]), spec["seed"])
    if dtype != "float32":  # same weights; H_init/L_init become bf16 buffers as in official files
        fp32_state = act.inner.state_dict()
        act = R.ACT(cfg)
        act.inner.load_state_dict(fp32_state)
    b, s, v = spec["batch"], cfg.seq_len, cfg.vocab_size
    maker = sudoku_like if spec["grid"] == "sudoku" else arc_like
    inputs, _ = maker(g, b, s, v)
    ids = torch.tensor(spec.get("puzzle_ids", [0] * b), dtype=torch.int64)
    batch = {"inputs": inputs, "labels": torch.zeros_like(inputs), "puzzle_identifiers": ids}

    logits, q_halt, q_continue, carries = R.evaluate(act, batch)

    d = os.path.join(out_root, "parity", name)
    fresh_dir(d)
    io.save_official_checkpoint(act.inner, os.path.join(d, "step_0"))
    io.write_all_config(os.path.join(d, "all_config.yaml"), arch_dict(cfg), io.training_keys(
        global_batch_size=b, epochs=10, eval_interval=10, lr=1e-4, lr_min_ratio=1.0,
        lr_warmup_steps=2000, weight_decay=0.1, puzzle_emb_lr=1e-2, puzzle_emb_weight_decay=0.1,
        ema_rate=0.999))
    # att-bf16 shares att's weights: it keeps only its bf16 H_init/L_init (as stored in its step_0)
    tensors = weights(act.inner) if source is None else {
        k: v for k, v in act.inner.state_dict().items() if k in ("H_init", "L_init")}
    tensors.update({"inputs": inputs, "puzzle_identifiers": ids, "logits": logits.float(),
                    "q_halt": q_halt.float(), "q_continue": q_continue.float()})
    if spec["keep_carry"]:
        tensors["y_after_step1"] = carries[0][0].float()
        tensors["z_after_step1"] = carries[0][1].float()
    metadata = {
        "config": json.dumps(dataclasses.asdict(cfg)),
        "case": name, "kind": "forward", "steps": cfg.halt_max_steps, "mode": "eval, fresh carry",
        "min_top2_logit_gap": f"{top2_gap(logits):.3e}",
        "generator": "tools/reference/make_fixtures.py (trm_ref.py, torch " + torch.__version__ + ")",
    }
    if source:
        metadata["note"] = (f"weights: those of parity/{source} (also in this case's step_0) "
                            "except H_init/L_init, stored here in bf16")
    write_case(os.path.join(d, "case.safetensors"), tensors, metadata)
    print(f"parity/{name}: q_halt {q_halt[-1].tolist()} gap {metadata['min_top2_logit_gap']}")


def split_halting(act, batch):
    """Shift the q_halt bias so that at the first step some slots have q_halt > 0 (they halt
    early and restart at step 2) and the others do not: zero goes in the widest gap between the
    sorted first-step q_halt values."""
    _, q, _, _ = R.evaluate(act, batch, steps=1)
    q = q[0].sort().values
    i = int((q[1:] - q[:-1]).argmax())
    with torch.no_grad():
        act.inner.q_head.bias[0] -= float(q[i] + q[i + 1]) / 2


def make_train(out_root, name, spec):
    cfg = make_config(spec["cfg"], halt_exploration_prob=0.0)
    act, g = build(cfg, spec["seed"])
    n, s, v = TRAIN_BATCH, cfg.seq_len, cfg.vocab_size
    maker = sudoku_like if spec["grid"] == "sudoku" else arc_like
    inputs, labels = maker(g, n, s, v)
    ids = torch.tensor(spec["puzzle_ids"], dtype=torch.int64)
    if spec["grid"] == "sudoku":
        # example 0's labels = the model's own first-step prediction: "sequence exactly correct"
        # (BCE target 1) happens at step 1
        probe = {"inputs": inputs, "labels": labels, "puzzle_identifiers": ids}
        labels[0] = R.evaluate(act, probe, steps=1)[0][0, 0].argmax(-1)
    else:
        labels[2] = 0  # a sequence with no valid label (counts 0, divisor 1, "correct")

    d = os.path.join(out_root, "train", name)
    fresh_dir(d)
    names = ["<blank>"] + [f"puzzle_{i}" for i in range(1, cfg.num_puzzle_identifiers)]
    in_dtype = np.int64 if spec["grid"] == "sudoku" else np.uint8  # as the official builders
    io.write_dataset(os.path.join(d, "data"), inputs.numpy().astype(in_dtype),
                     labels.numpy().astype(in_dtype), ids.numpy(), names, v)
    batch = io.load_batch(os.path.join(d, "data", "train"))
    split_halting(act, batch)

    training = io.training_keys(global_batch_size=n, epochs=4, eval_interval=4, lr_warmup_steps=2,
                                **spec["train"])
    io.save_official_checkpoint(act.inner, os.path.join(d, "step_0"))
    io.write_all_config(os.path.join(d, "all_config.yaml"), arch_dict(cfg), training)

    groups, mean_examples = n, 1.0  # one example per puzzle, one puzzle per group
    total_steps = int(training["epochs"] * groups * mean_examples / n)  # section 4.3
    tc = R.TrainConfig(global_batch_size=n, total_steps=total_steps,
                       lr_warmup_steps=training["lr_warmup_steps"], beta1=0.9, beta2=0.95,
                       ema=True, **spec["train"])
    trainer = R.Trainer(act, tc, torch.Generator().manual_seed(0))
    per_step, logits, q_halt, halted, steps = [], [], [], [], []
    for step in range(1, TRAIN_STEPS + 1):
        stats, lg, qh, grads = trainer.train_step(batch, keep_grads=(step == 1))
        if step == 1:
            first_grads = grads
        per_step.append(stats)
        logits.append(lg.float())
        q_halt.append(qh)
        halted.append(trainer.carry.halted.long())
        steps.append(trainer.carry.steps.long())
    q_halt = torch.stack(q_halt)
    print(f"train/{name}: q_halt {q_halt.tolist()}")
    assert q_halt.abs().min() > 1e-2, "a q_halt too close to 0: halting would be fragile"

    inner = act.inner
    tensors = {f"final.{k}": v.detach().clone() for k, v in inner.named_parameters()}
    tensors["final.puzzle_emb.weights"] = inner.puzzle_emb.weights.clone()
    tensors.update({f"ema.{k}": v for k, v in trainer.ema.shadow.items()})
    tensors.update({f"grad.{k}": v for k, v in first_grads.items()})
    for key in ("loss", "lm_loss", "q_halt_loss", "lr", "puzzle_emb_lr"):
        tensors[key] = torch.tensor([st[key] for st in per_step], dtype=torch.float32)
    tensors.update({
        "logits": torch.stack(logits), "q_halt": q_halt, "halted": torch.stack(halted),
        "steps": torch.stack(steps),
        "slot_example": torch.arange(n).repeat(TRAIN_STEPS, 1),  # slot i always holds example i
        "inputs": batch["inputs"].long(), "labels": batch["labels"].long(),
        "puzzle_identifiers": batch["puzzle_identifiers"].long(),
    })
    metadata = {
        "config": json.dumps(dataclasses.asdict(cfg)),
        "training": json.dumps(dataclasses.asdict(tc)),
        "metrics": json.dumps(per_step),
        "case": name, "kind": "train", "steps": TRAIN_STEPS,
        "min_top2_logit_gap": f"{top2_gap(torch.stack(logits)):.3e}",
        "generator": "tools/reference/make_fixtures.py (trm_ref.py, torch " + torch.__version__ + ")",
    }
    write_case(os.path.join(d, "case.safetensors"), tensors, metadata)
    for st in per_step:
        print(f"train/{name}: " + json.dumps(st))
    print(f"train/{name}: halted {tensors['halted'].tolist()}")


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "..", "src", "test", "resources",
                                                  "fixtures"))
    ap.add_argument("--only", help="one case, e.g. parity/att or train/mlp")
    args = ap.parse_args()
    jobs = [(f"parity/{k}", lambda k=k: make_parity(args.out, k, PARITY[k])) for k in PARITY]
    jobs.append(("parity/att-bf16",
                 lambda: make_parity(args.out, "att-bf16", PARITY["att"], "bfloat16", "att")))
    jobs += [(f"train/{k}", lambda k=k: make_train(args.out, k, TRAIN[k])) for k in TRAIN]
    for job, run in jobs:
        if args.only in (None, job):
            run()


if __name__ == "__main__":
    main()

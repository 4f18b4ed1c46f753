"""Timing hook for the Java benchmarks: the reference's eval-mode supervision step (forward only)
and training step at batch 64 for the paper's Sudoku configs, fp32 and bf16, 2 threads.

  /usr/bin/python3 tools/reference/bench.py [--repeat 2] [--batch 64] [--only sudoku-mlp:bfloat16:forward]

Prints one JSON line per measurement: ms per step (mean and min over the repeats, after one
warm-up step), the matmul GFLOP of one step (analytic), achieved GFLOP/s and peak RSS. Every
measurement runs in its own subprocess so that the peak RSS is its own."""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import torch

import trm_ref as R

PRESETS = {
    "sudoku-mlp": dict(mlp_t=True, pos_encodings="none"),
    "sudoku-att": dict(mlp_t=False, pos_encodings="rope"),
}


def config(name, dtype):
    return R.TRMConfig(seq_len=81, vocab_size=11, num_puzzle_identifiers=1, forward_dtype=dtype,
                       **PRESETS[name])


def net_gflop(cfg, batch):
    """Matmul FLOPs of one net(h, inj) call (2 per multiply-add)."""
    d, length, n = cfg.hidden_size, cfg.full_len, batch * cfg.full_len
    inner = R.swiglu_inner(d, cfg.expansion)
    per_layer = 2 * n * 3 * d * inner  # channel SwiGLU: gate_up (2I x D) + down (D x I)
    if cfg.mlp_t:
        inner_t = R.swiglu_inner(length, cfg.expansion)
        per_layer += 2 * batch * d * 3 * length * inner_t
    else:
        per_layer += 2 * n * 4 * d * d + 2 * 2 * batch * length * length * d  # qkv+o, qk+av
    return per_layer * cfg.L_layers / 1e9


def step_gflop(cfg, batch, kind):
    calls = cfg.H_cycles * (cfg.L_cycles + 1)
    heads = 2 * batch * cfg.full_len * cfg.hidden_size * (cfg.vocab_size + 2) / 1e9
    forward = calls * net_gflop(cfg, batch) + heads
    if kind == "forward":
        return forward
    # backward through the last recursion only: about 2x its forward
    return forward + 2 * ((cfg.L_cycles + 1) * net_gflop(cfg, batch) + heads)


def batch_of(cfg, size, generator):
    inputs = torch.randint(1, cfg.vocab_size, (size, cfg.seq_len), generator=generator)
    labels = torch.randint(2, cfg.vocab_size, (size, cfg.seq_len), generator=generator)
    return {"inputs": inputs, "labels": labels, "puzzle_identifiers": torch.zeros(size, dtype=torch.int64)}


def measure(name, dtype, kind, size, repeat):
    torch.set_num_threads(2)
    g = torch.Generator().manual_seed(0)
    cfg = config(name, dtype)
    act = R.ACT(cfg)
    act.inner.initialise(g)
    batch = batch_of(cfg, size, g)
    if kind == "forward":
        act.eval()
        carry = act.initial_carry(batch)

        def run():
            nonlocal carry
            with torch.no_grad():
                carry, *_ = act(carry, batch)
    else:
        tc = R.TrainConfig(global_batch_size=size, total_steps=10**6)
        trainer = R.Trainer(act, tc, g)

        def run():
            trainer.train_step(batch)
    run()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    mean = sum(times) / len(times)
    gflop = step_gflop(cfg, size, kind)
    return {"preset": name, "dtype": dtype, "kind": kind, "batch": size, "threads": 2,
            "repeat": repeat, "ms_per_step": round(1e3 * mean, 1),
            "ms_min": round(1e3 * min(times), 1), "gflop_per_step": round(gflop, 1),
            "gflops": round(gflop / mean, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "torch": torch.__version__}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--only", help="PRESET:DTYPE:KIND, e.g. sudoku-mlp:bfloat16:train")
    args = ap.parse_args()
    if args.only:
        name, dtype, kind = args.only.split(":")
        print(json.dumps(measure(name, dtype, kind, args.batch, args.repeat)), flush=True)
        return
    for name in PRESETS:
        for dtype in ("float32", "bfloat16"):
            for kind in ("forward", "train"):
                subprocess.run([sys.executable, os.path.abspath(__file__), "--repeat",
                                str(args.repeat), "--batch", str(args.batch), "--only",
                                f"{name}:{dtype}:{kind}"], check=True)


if __name__ == "__main__":
    main()

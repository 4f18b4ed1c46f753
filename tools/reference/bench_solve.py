"""Timing hook for `trm bench solve`: the reference (eager PyTorch) solving Sudokus with a trm4j
safetensors model, the same work as trm4j's Solver: N_sup evaluation-mode supervision steps from
a fresh carry, each step's argmax copied to the host.

  /usr/bin/python3 tools/reference/bench_solve.py --model models/sudoku/model.safetensors \
      --batch 1 --dtype float32 --repeat 5 [--threads 2]

Prints one JSON line: ms per solve of the whole batch (mean and min over the repeats, after one
warm-up), puzzles/s and peak RSS. The inputs are random digits (the cost does not depend on them)."""
import argparse
import json
import resource
import time

import torch

import fixture_io
import trm_ref as R


def model_of(path, dtype):
    state, meta = fixture_io.load_safetensors(path)
    c = json.loads(meta["config"])
    cfg = R.TRMConfig(seq_len=c["seqLen"], vocab_size=c["vocabSize"], num_puzzle_identifiers=c["numPuzzleIdentifiers"],
                      hidden_size=c["hiddenSize"], num_heads=c["numHeads"], expansion=c["expansion"],
                      H_cycles=c["recursions"], L_cycles=c["latentSteps"], L_layers=c["layers"],
                      halt_max_steps=c["supervisionSteps"], halt_exploration_prob=c["haltExplorationProb"],
                      puzzle_emb_ndim=c["puzzleEmbNdim"], puzzle_emb_len=c["puzzleEmbLen"],
                      pos_encodings=c["posEncodings"].lower(), forward_dtype=dtype, mlp_t=c["mixer"] == "MLP",
                      rms_norm_eps=c["rmsNormEps"], rope_theta=c["ropeTheta"])
    act = R.ACT(cfg)
    own = act.inner.state_dict()
    act.inner.load_state_dict({k: v.to(own[k].dtype) for k, v in state.items()})
    act.eval()
    return act, cfg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    act, cfg = model_of(args.model, args.dtype)
    g = torch.Generator().manual_seed(0)
    batch = {"inputs": torch.randint(1, cfg.vocab_size, (args.batch, cfg.seq_len), generator=g),
             "puzzle_identifiers": torch.zeros(args.batch, dtype=torch.int64)}

    def solve():
        with torch.no_grad():
            carry = act.initial_carry(batch)
            preds = []
            for _ in range(cfg.halt_max_steps):
                carry, logits, q_halt, _ = act(carry, batch)
                preds.append((logits.argmax(-1).to(torch.int32).numpy(), q_halt.numpy()))
            return preds

    solve()  # warm-up
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        solve()
        times.append(time.perf_counter() - t0)
    mean = sum(times) / len(times)
    print(json.dumps({"batch": args.batch, "dtype": args.dtype, "threads": args.threads, "repeat": args.repeat,
                      "ms_per_solve": round(1e3 * mean, 2), "ms_min": round(1e3 * min(times), 2),
                      "puzzles_per_s": round(args.batch / mean, 1), "steps": cfg.halt_max_steps,
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()

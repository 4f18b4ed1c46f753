"""Re-reads every fixture from disk the way the Java side will (step_0 + all_config.yaml, the
dataset files) and re-runs the reference; every stored tensor must come out bit-identical.
Run: /usr/bin/python3 tools/reference/verify_fixtures.py [fixtures dir]"""
import glob
import json
import os
import sys

import torch

import fixture_io as io
import trm_ref as R

torch.set_num_threads(1)


def model_from_disk(case_dir, seq_len=None):
    arch, training, seq_len, vocab, ids, state = io.load_official(case_dir, seq_len)
    cfg = R.TRMConfig.from_arch(arch, seq_len, vocab, ids)
    act = R.ACT(cfg)
    act.inner.load_state_dict(state)
    return act, training


def check_equal(name, got, want):
    if got.shape != want.shape or not torch.equal(got.to(want.dtype), want):
        raise AssertionError(f"{name}: max |diff| {float((got.float() - want.float()).abs().max())}")


def verify_parity(case_dir):
    expected, meta = io.load_safetensors(os.path.join(case_dir, "case.safetensors"))
    act, _ = model_from_disk(case_dir, expected["inputs"].shape[1])
    assert json.loads(meta["config"]) == json.loads(json.dumps(act.cfg.__dict__)), "config"
    for k, v in act.inner.state_dict().items():
        if k in expected:
            check_equal(k, v.to(expected[k].dtype), expected[k])
    batch = {"inputs": expected["inputs"], "labels": torch.zeros_like(expected["inputs"]),
             "puzzle_identifiers": expected["puzzle_identifiers"]}
    logits, q_halt, q_continue, carries = R.evaluate(act, batch)
    check_equal("logits", logits.float(), expected["logits"])
    check_equal("q_halt", q_halt, expected["q_halt"])
    check_equal("q_continue", q_continue, expected["q_continue"])
    if "y_after_step1" in expected:
        check_equal("y_after_step1", carries[0][0].float(), expected["y_after_step1"])
        check_equal("z_after_step1", carries[0][1].float(), expected["z_after_step1"])


def verify_train(case_dir):
    expected, meta = io.load_safetensors(os.path.join(case_dir, "case.safetensors"))
    data_dir = os.path.join(case_dir, "data", "train")
    with open(os.path.join(data_dir, "dataset.json")) as f:
        dataset = json.load(f)
    act, t = model_from_disk(case_dir, dataset["seq_len"])
    total_steps = int(t["epochs"] * dataset["total_groups"] * dataset["mean_puzzle_examples"]
                      / t["global_batch_size"])
    tc = R.TrainConfig(global_batch_size=t["global_batch_size"], total_steps=total_steps,
                       **{k: t[k] for k in ("lr", "lr_min_ratio", "lr_warmup_steps",
                                            "weight_decay", "beta1", "beta2", "puzzle_emb_lr",
                                            "puzzle_emb_weight_decay", "ema", "ema_rate")})
    trainer = R.Trainer(act, tc, torch.Generator().manual_seed(0))
    batch = io.load_batch(data_dir)
    steps = expected["loss"].shape[0]
    losses = []
    for step in range(1, steps + 1):
        stats, _, _, grads = trainer.train_step(batch, keep_grads=(step == 1))
        losses.append(stats["loss"])
        if step == 1:
            for k, v in grads.items():
                check_equal("grad." + k, v, expected["grad." + k])
    check_equal("loss", torch.tensor(losses, dtype=torch.float32), expected["loss"])
    for k, v in act.inner.named_parameters():
        check_equal("final." + k, v.detach(), expected["final." + k])
        check_equal("ema." + k, trainer.ema.shadow[k], expected["ema." + k])
    check_equal("final.puzzle_emb.weights", act.inner.puzzle_emb.weights,
                expected["final.puzzle_emb.weights"])


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "src", "test", "resources", "fixtures")
    for case in sorted(glob.glob(os.path.join(root, "parity", "*"))):
        verify_parity(case)
        print("ok", os.path.relpath(case, root))
    for case in sorted(glob.glob(os.path.join(root, "train", "*"))):
        verify_train(case)
        print("ok", os.path.relpath(case, root))

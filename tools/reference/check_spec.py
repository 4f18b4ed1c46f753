"""Asserts the worked values of spec section 11 (and a few structural facts of sections 1-4)
against trm_ref.py. Run: /usr/bin/python3 tools/reference/check_spec.py"""
import math

import torch

import trm_ref as R


def close(a, b, tol=1e-7):
    assert abs(a - b) <= tol * max(1.0, abs(b)), (a, b)


def check_truncated_normal():
    close(R.TRUNC_FACTOR, 1.1368472343385565, 1e-12)
    close(2 * R.TRUNC_FACTOR, 2.273694468677113, 1e-12)
    close(math.erf(math.sqrt(2.0)), 0.9544997361036416, 1e-12)
    t = R.trunc_normal_(torch.empty(400_000), 0.5, torch.Generator().manual_seed(1))
    assert t.abs().max() <= 2 * R.TRUNC_FACTOR * 0.5 + 1e-6
    close(float(t.std()), 0.5, 5e-3)
    assert R.trunc_normal_(torch.ones(3), 0.0, None).eq(0).all()


def check_stablemax():
    logp = R.log_stablemax(torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64))
    for got, want in zip(logp.tolist(), (-2.1972246, -1.5040774, -0.4054651)):
        close(got, want, 1e-7)
    for got, want in zip(logp.exp().tolist(), (1 / 9, 2 / 9, 2 / 3)):
        close(got, want, 1e-12)
    logits = torch.tensor([[[-3.0, 0.5, 1.5, -0.25]]])
    p = R.log_stablemax(logits.double()).exp()[0, 0].tolist()
    for got, want in zip(p, (0.0495050, 0.2970297, 0.4950495, 0.1584158)):
        close(got, want, 1e-6)
    close(float(R.stablemax_cross_entropy(logits, torch.tensor([[2]]))), 0.7030975, 1e-6)
    assert float(R.stablemax_cross_entropy(logits, torch.tensor([[R.IGNORE_LABEL]]))) == 0.0
    # bf16-exact 1.0 must give a finite gradient (1 - x first, then + 1e-30)
    x = torch.tensor([1.0, -0.5, 0.0], dtype=torch.float64, requires_grad=True)
    R.log_stablemax(x)[0].backward()
    assert torch.isfinite(x.grad).all()


def check_schedule():
    lr = lambda s: R.learning_rate(s, 1e-4, 2000, 65100, 1.0)
    close(lr(1), 5e-8, 1e-9)
    close(lr(1000), 5e-5, 1e-9)
    close(lr(1999), 9.995e-5, 1e-9)
    close(lr(2000), 1e-4, 1e-12)
    close(lr(60000), 1e-4, 1e-12)
    # cosine with a min ratio: halfway -> r + (1 - r) / 2, end -> r
    close(R.learning_rate(3, 1.0, 2, 4, 0.1), 0.55, 1e-12)
    close(R.learning_rate(4, 1.0, 2, 4, 0.1), 0.1, 1e-12)


def check_adam_atan2():
    theta = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    opt = R.AdamATan2([theta], (0.9, 0.95), 0.1)
    want = [(0.999890331348, 0.05, 0.0125), (0.999853518722, 0.02, 0.015),
            (0.999822529588, 0.018, 0.01425)]
    for g, (w_theta, w_m, w_v) in zip((0.5, -0.25, 0.0), want):
        theta.grad = torch.tensor([g], dtype=torch.float64)
        opt.step(1e-4)
        _, m, v = opt.state[theta]
        close(float(theta), w_theta, 1e-12)
        close(float(m), w_m, 1e-12)
        close(float(v), w_v, 1e-12)
    skipped = torch.nn.Parameter(torch.tensor([1.0]))
    R.AdamATan2([skipped], weight_decay=0.1).step(1.0)  # grad None: no decay
    assert float(skipped) == 1.0


def check_sign_sgd():
    emb = R.PuzzleEmbedding(3, 1).train()
    emb.weights[:] = torch.tensor([[0.3], [0.5], [0.7]])
    out = emb(torch.tensor([0, 2, 0]))
    (out * torch.tensor([[-0.5], [0.0], [-0.2]])).sum().backward()  # row 0 grads sum to -0.7
    R.sign_sgd_puzzle_step(emb, 1e-2, 0.1)
    close(float(emb.weights[0]), 0.3097, 1e-7)        # 0.3 (1 - 1e-3) + 1e-2
    close(float(emb.weights[2]), 0.7 * (1 - 1e-3), 1e-7)  # present, sign(0) = 0: decay only
    assert float(emb.weights[1]) == 0.5                # absent row untouched


def check_rope_and_sizes():
    inv = 1.0 / (10000.0 ** (torch.arange(0, 64, 2, dtype=torch.float32) / 64))
    for got, want in zip(inv[:4].tolist(), (1.0, 0.74989421, 0.56234133, 0.42169650)):
        close(got, want, 1e-6)
    close(float(inv[-1]), 1.3335214e-4, 1e-6)
    cos, sin = R.rope_tables(5, 64, 10000.0)
    close(float(cos[3, 1]), math.cos(3 * 0.74989421), 1e-6)
    close(float(sin[3, 33]), math.sin(3 * 0.74989421), 1e-6)  # concat(freqs, freqs)
    for hidden, inner in ((512, 1536), (97, 512), (916, 2560), (81, 256), (900, 2560)):
        assert R.swiglu_inner(hidden, 4) == inner, (hidden, R.swiglu_inner(hidden, 4))
    close(math.sqrt(512), 22.627416997969522, 1e-15)
    close(1 / math.sqrt(512), 0.044194173824159216, 1e-15)


def count(cfg):
    m = R.TRM(cfg)
    return sum(p.numel() for p in m.parameters())


def check_parameter_counts():
    sudoku = dict(seq_len=81, vocab_size=11, num_puzzle_identifiers=1)
    maze = dict(seq_len=900, vocab_size=6, num_puzzle_identifiers=1)
    arc = dict(seq_len=900, vocab_size=12, num_puzzle_identifiers=1)
    assert count(R.TRMConfig(**sudoku, mlp_t=True, pos_encodings="none")) == 5_028_866
    assert count(R.TRMConfig(**sudoku)) == 6_828_034
    assert count(R.TRMConfig(**maze)) == 6_822_914
    assert count(R.TRMConfig(**maze, mlp_t=True, pos_encodings="none")) == 18_795_522
    assert count(R.TRMConfig(**arc)) == 6_829_058
    assert count(R.TRMConfig(**arc, mlp_t=True, pos_encodings="none")) == 18_801_666


def check_prefix():
    cfg = R.TRMConfig(seq_len=3, vocab_size=5, num_puzzle_identifiers=2, hidden_size=4,
                      num_heads=1, puzzle_emb_ndim=4, puzzle_emb_len=3, forward_dtype="float32")
    m = R.TRM(cfg).eval()
    m.initialise(torch.Generator().manual_seed(0))
    m.puzzle_emb.weights[1] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    x = m.input_embedding(torch.tensor([[1, 2, 3]]), torch.tensor([1]))
    assert x.shape == (1, 6, 4)
    assert torch.allclose(x[0, 0], torch.tensor([1.0, 2.0, 3.0, 4.0]) * 2.0)  # sqrt(4) = 2
    assert x[0, 1:3].eq(0).all()
    assert torch.allclose(x[0, 3], m.embed_tokens.embedding_weight[1] * 2.0)


if __name__ == "__main__":
    for name, fn in list(globals().items()):
        if name.startswith("check_") and callable(fn):
            fn()
            print("ok", name)

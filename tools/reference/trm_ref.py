"""A compact PyTorch reference of the Tiny Recursion Model (TRM), written from
/work/shared/spec/trm-reference.md (sections 1-4, [CODE] behaviour). It is a test oracle for trm4j,
not a product: it produces the golden fixtures under src/test/resources/fixtures.

Naming: module attributes use the official state-dict names (embed_tokens, L_level, mlp_t, ...)
so that state_dict() keys equal the official checkpoint keys; the recursion itself uses the paper's
names: x (embedded input), y (answer, official z_H), z (latent, official z_L), T = H_cycles,
n = L_cycles, N_sup = halt_max_steps.

Shapes: B batch, S seq_len, P puzzle_emb_len (prefix), L = P + S, D hidden_size, V vocab_size.
Runs on Debian's python3-torch 1.13 (CPU), which has no scaled_dot_product_attention, so attention
is composed from matmul + softmax.
"""
import math
from dataclasses import dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F

IGNORE_LABEL = -100

# Section 1.8: a normal truncated to +-2 sigma' has std 0.87962566 sigma'; sigma' = std / that.
_TRUNC_STD_OF_UNIT = math.sqrt(
    1.0 - 4.0 * math.exp(-2.0) / math.sqrt(2.0 * math.pi) / math.erf(math.sqrt(2.0)))
TRUNC_FACTOR = 1.0 / _TRUNC_STD_OF_UNIT  # 1.1368472343385565


@dataclass
class TRMConfig:
    """Model config with the official field names (spec 1.1)."""
    seq_len: int
    vocab_size: int
    num_puzzle_identifiers: int
    hidden_size: int = 512
    num_heads: int = 8
    expansion: float = 4.0
    H_cycles: int = 3          # T
    L_cycles: int = 6          # n
    H_layers: int = 0          # ignored by TRM
    L_layers: int = 2
    halt_max_steps: int = 16   # N_sup
    halt_exploration_prob: float = 0.1
    puzzle_emb_ndim: int = 512
    puzzle_emb_len: int = 16
    pos_encodings: str = "rope"
    forward_dtype: str = "bfloat16"
    mlp_t: bool = False
    no_ACT_continue: bool = True
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0

    @classmethod
    def from_arch(cls, arch, seq_len, vocab_size, num_puzzle_identifiers):
        """Build from an all_config.yaml `arch:` section plus the dataset/tensor-derived sizes."""
        names = {f.name for f in fields(cls)}
        kept = {k: v for k, v in arch.items() if k in names}
        return cls(seq_len=seq_len, vocab_size=vocab_size,
                   num_puzzle_identifiers=num_puzzle_identifiers, **kept)

    @property
    def prefix_len(self):  # P
        if self.puzzle_emb_len:
            return self.puzzle_emb_len
        return -(-self.puzzle_emb_ndim // self.hidden_size)

    @property
    def full_len(self):  # L = P + S
        return self.prefix_len + self.seq_len

    @property
    def head_dim(self):
        return self.hidden_size // self.num_heads

    @property
    def dtype(self):
        return {"float32": torch.float32, "bfloat16": torch.bfloat16}[self.forward_dtype]


# ---------------------------------------------------------------------------------------------
# Initialisation (section 1.8)

def trunc_normal_(t, std, generator):
    """JAX-style truncated normal whose true std is `std` (erfinv of a bounded uniform)."""
    if std == 0:
        return t.zero_()
    sigma = std * TRUNC_FACTOR
    bound = math.erf(math.sqrt(2.0))  # uniform in +-erf(sqrt 2) maps to +-2 sigma
    u = torch.rand(t.shape, generator=generator, dtype=torch.float32) * (2 * bound) - bound
    value = torch.erfinv(u) * (math.sqrt(2.0) * sigma)
    with torch.no_grad():
        t.copy_(value.clamp_(-2 * sigma, 2 * sigma))
    return t


def swiglu_inner(hidden, expansion):
    """round-half-even(expansion * hidden * 2/3), rounded up to a multiple of 256 (section 1.5)."""
    n = round(expansion * hidden * 2 / 3)
    return -(-n // 256) * 256


# ---------------------------------------------------------------------------------------------
# Layers (sections 1.2-1.5). Weights are fp32 masters; every op casts them to the input dtype.

class CastedLinear(nn.Module):
    def __init__(self, in_features, out_features, bias=False):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_features, in_features))  # [out, in]
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None

    def forward(self, h):
        bias = None if self.bias is None else self.bias.to(h.dtype)
        return F.linear(h, self.weight.to(h.dtype), bias)


class CastedEmbedding(nn.Module):
    def __init__(self, rows, dim):
        super().__init__()
        self.embedding_weight = nn.Parameter(torch.empty(rows, dim))

    def forward(self, ids, dtype):
        return F.embedding(ids, self.embedding_weight.to(dtype))  # lookup in the forward dtype


class PuzzleEmbedding(nn.Module):
    """The puzzle-id table is a buffer trained by sign-SGD (section 1.3). In training mode the rows
    of this batch are copied into a leaf tensor `local_weights` that collects their gradient."""

    def __init__(self, rows, dim):
        super().__init__()
        self.register_buffer("weights", torch.zeros(rows, dim))
        self.local_weights = None  # [B, ndim], requires grad (training only)
        self.local_ids = None      # [B]

    def forward(self, ids):
        if not self.training:
            return self.weights[ids]
        self.local_weights = self.weights[ids].clone().requires_grad_(True)
        self.local_ids = ids
        return self.local_weights


def rms_norm(h, eps):
    """Scale-free RMSNorm over the last axis, computed in fp32 and cast back."""
    dtype = h.dtype
    h = h.float()
    return (h * torch.rsqrt(h.square().mean(-1, keepdim=True) + eps)).to(dtype)


def rope_tables(length, head_dim, theta):
    """cos, sin [L, head_dim] in fp32; emb = concat(freqs, freqs) (rotate-half layout)."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    freqs = torch.outer(torch.arange(length, dtype=torch.float32), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def apply_rope(v, cos, sin):
    """v [B, L, H, hd] -> v*cos + rotate_half(v)*sin, in fp32, cast back."""
    dtype = v.dtype
    v = v.float()
    half = v.shape[-1] // 2
    rotated = torch.cat((-v[..., half:], v[..., :half]), dim=-1)
    cos, sin = cos.unsqueeze(-2), sin.unsqueeze(-2)  # [L, 1, hd]
    return (v * cos + rotated * sin).to(dtype)


class Attention(nn.Module):
    """Non-causal multi-head attention, no bias, no mask (section 1.5)."""

    def __init__(self, cfg):
        super().__init__()
        self.heads, self.head_dim = cfg.num_heads, cfg.head_dim
        self.qkv_proj = CastedLinear(cfg.hidden_size, 3 * cfg.num_heads * cfg.head_dim)
        self.o_proj = CastedLinear(cfg.num_heads * cfg.head_dim, cfg.hidden_size)

    def forward(self, h, rope):
        b, length, _ = h.shape
        qkv = self.qkv_proj(h).view(b, length, 3 * self.heads, self.head_dim)
        q, k, v = qkv.split(self.heads, dim=2)  # heads 0..H-1 q, H..2H-1 k, 2H..3H-1 v
        if rope is not None:
            q, k = apply_rope(q, *rope), apply_rope(k, *rope)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))  # [B, H, L, hd]
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))
        out = torch.softmax(scores, dim=-1) @ v           # [B, H, L, hd]
        return self.o_proj(out.transpose(1, 2).reshape(b, length, self.heads * self.head_dim))


class SwiGLU(nn.Module):
    def __init__(self, hidden, expansion):
        super().__init__()
        inner = swiglu_inner(hidden, expansion)
        self.gate_up_proj = CastedLinear(hidden, 2 * inner)
        self.down_proj = CastedLinear(inner, hidden)

    def forward(self, h):
        gate, up = self.gate_up_proj(h).chunk(2, dim=-1)  # first half gate, second half up
        return self.down_proj(F.silu(gate) * up)


class Block(nn.Module):
    """Post-norm block: attention or token-mixing SwiGLU, then the channel SwiGLU."""

    def __init__(self, cfg):
        super().__init__()
        self.eps = cfg.rms_norm_eps
        if cfg.mlp_t:
            self.mlp_t = SwiGLU(cfg.full_len, cfg.expansion)  # mixes the L positions
        else:
            self.self_attn = Attention(cfg)
        self.mlp = SwiGLU(cfg.hidden_size, cfg.expansion)

    def forward(self, h, rope):  # h [B, L, D]
        if hasattr(self, "mlp_t"):
            u = h.transpose(1, 2)                              # [B, D, L]
            u = rms_norm(u + self.mlp_t(u), self.eps)          # normalised over the SEQUENCE axis
            h = u.transpose(1, 2).contiguous()  # same values; torch 1.13's bf16 linear is 6x
                                                # slower on the transposed view
        else:
            h = rms_norm(h + self.self_attn(h, rope), self.eps)
        return rms_norm(h + self.mlp(h), self.eps)


class Network(nn.Module):
    """net(h, injection): the injection is added once, before the first block (section 1.6)."""

    def __init__(self, cfg):
        super().__init__()
        self.layers = nn.ModuleList(Block(cfg) for _ in range(cfg.L_layers))

    def forward(self, h, injection, rope):
        h = h + injection
        for layer in self.layers:
            h = layer(h, rope)
        return h


# ---------------------------------------------------------------------------------------------
# The inner model: one supervision step of deep recursion (section 2.1)

class TRM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        d = cfg.hidden_size
        self.embed_scale = math.sqrt(d)
        self.embed_tokens = CastedEmbedding(cfg.vocab_size, d)
        self.lm_head = CastedLinear(d, cfg.vocab_size)
        self.q_head = CastedLinear(d, 2, bias=True)
        if cfg.puzzle_emb_ndim > 0:
            self.puzzle_emb = PuzzleEmbedding(cfg.num_puzzle_identifiers, cfg.puzzle_emb_ndim)
        elif cfg.prefix_len:
            raise ValueError("puzzle_emb_len > 0 needs puzzle_emb_ndim > 0")
        if cfg.pos_encodings == "learned":
            self.embed_pos = CastedEmbedding(cfg.full_len, d)
        self.L_level = Network(cfg)
        self.register_buffer("H_init", torch.zeros(d, dtype=cfg.dtype))  # y0
        self.register_buffer("L_init", torch.zeros(d, dtype=cfg.dtype))  # z0

    def initialise(self, generator):
        """Section 1.8 on CPU with a seeded generator (cannot match the official CUDA stream)."""
        d = self.cfg.hidden_size
        trunc_normal_(self.embed_tokens.embedding_weight, 1 / math.sqrt(d), generator)
        if hasattr(self, "embed_pos"):
            trunc_normal_(self.embed_pos.embedding_weight, 1 / math.sqrt(d), generator)
        for module in self.modules():
            if isinstance(module, CastedLinear) and module is not self.q_head:
                trunc_normal_(module.weight, 1 / math.sqrt(module.weight.shape[1]), generator)
        with torch.no_grad():
            self.q_head.weight.zero_()
            self.q_head.bias.fill_(-5.0)
            for buf in (self.H_init, self.L_init):
                buf.copy_(trunc_normal_(torch.empty(d), 1.0, generator))

    def rope(self):
        if self.cfg.pos_encodings != "rope":
            return None
        return rope_tables(self.cfg.full_len, self.cfg.head_dim, self.cfg.rope_theta)

    def input_embedding(self, inputs, puzzle_ids):
        """x = sqrt(D) * concat(puzzle prefix [B,P,D], tokens [B,S,D]) (section 1.2)."""
        cfg, dtype = self.cfg, self.cfg.dtype
        e = self.embed_tokens(inputs.long(), dtype)                        # [B, S, D]
        if cfg.puzzle_emb_ndim > 0:
            puzzle = self.puzzle_emb(puzzle_ids.long()).to(dtype)          # [B, ndim]
            pad = cfg.prefix_len * cfg.hidden_size - puzzle.shape[-1]
            prefix = F.pad(puzzle, (0, pad)).view(-1, cfg.prefix_len, cfg.hidden_size)
            e = torch.cat((prefix, e), dim=-2)                             # [B, L, D]
        if cfg.pos_encodings == "learned":
            e = 0.707106781 * (e + self.embed_pos.embedding_weight.to(dtype))
        return self.embed_scale * e

    def latent_recursion(self, x, y, z, rope):
        for _ in range(self.cfg.L_cycles):   # n latent steps
            z = self.L_level(z, y + x, rope)  # y + x is summed first
        y = self.L_level(y, z, rope)          # answer update, no x
        return y, z

    def forward(self, y, z, inputs, puzzle_ids):
        """One deep recursion. y, z [B, L, D] -> new (y, z) detached, logits [B, S, V],
        q_halt [B], q_continue [B] (fp32)."""
        rope = self.rope()
        x = self.input_embedding(inputs, puzzle_ids)
        with torch.no_grad():
            for _ in range(self.cfg.H_cycles - 1):  # T-1 recursions without gradient
                y, z = self.latent_recursion(x, y, z, rope)
        y, z = self.latent_recursion(x, y, z, rope)  # the last one with gradient
        logits = self.lm_head(y)[:, self.cfg.prefix_len:]
        q = self.q_head(y[:, 0]).float()             # position 0 acts as a CLS token
        return y.detach(), z.detach(), logits, q[:, 0], q[:, 1]


# ---------------------------------------------------------------------------------------------
# The ACT wrapper: carry, reset, halting (section 2.2)

@dataclass
class Carry:
    y: torch.Tensor          # [B, L, D] forward dtype
    z: torch.Tensor          # [B, L, D]
    steps: torch.Tensor      # [B] int32
    halted: torch.Tensor     # [B] bool
    data: dict               # inputs [B,S], labels [B,S], puzzle_identifiers [B] of each slot


class ACT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.inner = TRM(cfg)

    def initial_carry(self, batch):
        """Every slot starts halted, so the first step fills all of them from the batch."""
        b = batch["inputs"].shape[0]
        shape = (b, self.cfg.full_len, self.cfg.hidden_size)
        return Carry(torch.zeros(shape, dtype=self.cfg.dtype), torch.zeros(shape, dtype=self.cfg.dtype),
                     torch.zeros(b, dtype=torch.int32), torch.ones(b, dtype=torch.bool),
                     {k: torch.zeros_like(v) for k, v in batch.items()})

    def forward(self, carry, batch, generator=None):
        """One supervision step for every slot. Halted slots restart from H_init/L_init with the
        batch row of the SAME slot; running slots keep their data (their batch row is dropped)."""
        cfg, h = self.cfg, carry.halted
        y = torch.where(h.view(-1, 1, 1), self.inner.H_init, carry.y)
        z = torch.where(h.view(-1, 1, 1), self.inner.L_init, carry.z)
        steps = torch.where(h, torch.zeros_like(carry.steps), carry.steps)
        data = {k: torch.where(h.view((-1,) + (1,) * (v.dim() - 1)), batch[k], v)
                for k, v in carry.data.items()}

        y, z, logits, q_halt, q_continue = self.inner(y, z, data["inputs"], data["puzzle_identifiers"])

        with torch.no_grad():
            steps = steps + 1
            halted = steps >= cfg.halt_max_steps
            if self.training and cfg.halt_max_steps > 1:
                halted = halted | (q_halt > 0)
                # exploration, re-drawn every step for every slot
                explore = torch.rand(q_halt.shape, generator=generator) < cfg.halt_exploration_prob
                min_steps = explore * torch.randint(2, cfg.halt_max_steps + 1, q_halt.shape,
                                                    generator=generator)
                halted = halted & (steps >= min_steps)
        return Carry(y, z, steps, halted, data), logits, q_halt, q_continue


# ---------------------------------------------------------------------------------------------
# Losses and metrics (section 3)

def stablemax(x):
    # (1 - x) first, then + 1e-30: in float64 1 + 1e-30 == 1, and x = 1.0 would give 1/0.
    return torch.where(x < 0, 1 / ((1 - x) + 1e-30), x + 1)


def log_stablemax(x, dim=-1):
    s = stablemax(x)
    return torch.log(s / s.sum(dim=dim, keepdim=True))


def stablemax_cross_entropy(logits, labels):
    """Per-token loss in float64 [B, S]; 0 where label == IGNORE_LABEL."""
    logp = log_stablemax(logits.to(torch.float64))
    valid = labels != IGNORE_LABEL
    safe = torch.where(valid, labels, torch.zeros_like(labels)).long()
    picked = torch.gather(logp, -1, safe.unsqueeze(-1)).squeeze(-1)
    return -torch.where(valid, picked, torch.zeros_like(picked))


def act_loss(carry, logits, q_halt):
    """Section 3.2 over ALL slots. Returns (total, lm_loss, q_halt_loss, metrics); metrics are sums
    over the slots that halted at this step and have a valid label (section 3.3)."""
    labels = carry.data["labels"]
    mask = labels != IGNORE_LABEL
    counts = mask.sum(-1)
    divisor = counts.clamp_min(1).unsqueeze(-1)
    correct = mask & (logits.argmax(-1) == labels)
    seq_correct = correct.sum(-1) == counts

    lm_loss = (stablemax_cross_entropy(logits, labels) / divisor).sum()
    q_halt_loss = F.binary_cross_entropy_with_logits(
        q_halt, seq_correct.to(q_halt.dtype), reduction="sum")
    total = lm_loss + 0.5 * q_halt_loss

    with torch.no_grad():
        valid = carry.halted & (counts > 0)
        metrics = {
            "count": int(valid.sum()),
            "accuracy": float(torch.where(valid, (correct.sum(-1) / divisor.squeeze(-1)).float(),
                                          torch.zeros(())).sum()),
            "exact_accuracy": int((valid & seq_correct).sum()),
            "q_halt_accuracy": int((valid & ((q_halt >= 0) == seq_correct)).sum()),
            "steps": int(torch.where(valid, carry.steps, 0).sum()),
        }
    return total, lm_loss, q_halt_loss, metrics


# ---------------------------------------------------------------------------------------------
# Optimisation (section 4)

def learning_rate(step, base, warmup, total_steps, min_ratio):
    """Step counter starts at 1. Linear warm-up, then cosine down to min_ratio * base."""
    if step < warmup:
        return base * step / warmup
    progress = (step - warmup) / max(1, total_steps - warmup)
    return base * (min_ratio + max(0.0, (1 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))))


class AdamATan2:
    """Section 4.1: no epsilon, decoupled weight decay, atan2 instead of m / (sqrt(v) + eps)."""

    def __init__(self, params, betas=(0.9, 0.95), weight_decay=0.1):
        self.params = list(params)
        self.b1, self.b2 = betas
        self.wd = weight_decay
        self.state = {}  # param -> [t, m, v]

    @torch.no_grad()
    def step(self, lr):
        for p in self.params:
            if p.grad is None:
                continue  # no grad: skipped entirely, no decay
            t, m, v = self.state.setdefault(p, [0, torch.zeros_like(p), torch.zeros_like(p)])
            t += 1
            self.state[p][0] = t
            g = p.grad
            bc1, bc2 = 1 - self.b1 ** t, 1 - self.b2 ** t
            p.mul_(1 - lr * self.wd)
            m.add_((1 - self.b1) * (g - m))
            v.add_((1 - self.b2) * (g * g - v))
            p.sub_((lr / bc1) * torch.atan2(m, v.sqrt() / math.sqrt(bc2)))

    def zero_grad(self):
        for p in self.params:
            p.grad = None


@torch.no_grad()
def sign_sgd_puzzle_step(puzzle_emb, lr, weight_decay):
    """Section 1.3: sum gradient rows per unique id, then decoupled decay and a sign step on the
    rows present in the batch only."""
    grad, ids = puzzle_emb.local_weights.grad, puzzle_emb.local_ids
    if grad is None:
        return
    unique, inverse = torch.unique(ids, return_inverse=True)
    summed = torch.zeros(len(unique), grad.shape[-1], dtype=grad.dtype).index_add_(0, inverse, grad)
    rows = puzzle_emb.weights[unique]
    puzzle_emb.weights[unique] = rows * (1 - lr * weight_decay) - lr * torch.sign(summed)


class EMA:
    """Section 4.5: shadow <- (1 - mu) * theta + mu * shadow after every step; buffers excluded."""

    def __init__(self, model, rate):
        self.rate = rate
        self.shadow = {n: p.detach().clone() for n, p in model.named_parameters()}

    @torch.no_grad()
    def update(self, model):
        for n, p in model.named_parameters():
            self.shadow[n] = (1 - self.rate) * p.detach() + self.rate * self.shadow[n]


@dataclass
class TrainConfig:
    """Training hyperparameters with the official all_config.yaml names."""
    global_batch_size: int
    total_steps: int
    lr: float = 1e-4
    lr_min_ratio: float = 1.0
    lr_warmup_steps: int = 2000
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    puzzle_emb_lr: float = 1e-2
    puzzle_emb_weight_decay: float = 0.1
    ema: bool = True
    ema_rate: float = 0.999


class Trainer:
    """Section 2.3b: one optimizer step = one supervision step for every slot of the carry."""

    def __init__(self, act, tc, generator=None):
        self.act, self.tc, self.generator = act, tc, generator
        self.adam = AdamATan2(act.inner.parameters(), (tc.beta1, tc.beta2), tc.weight_decay)
        self.ema = EMA(act.inner, tc.ema_rate) if tc.ema else None
        self.carry = None
        self.step = 0

    def train_step(self, batch, keep_grads=False):
        tc, inner = self.tc, self.act.inner
        self.step += 1
        self.act.train()
        if self.carry is None:
            self.carry = self.act.initial_carry(batch)
        self.carry, logits, q_halt, _ = self.act(self.carry, batch, self.generator)
        total, lm_loss, q_halt_loss, metrics = act_loss(self.carry, logits, q_halt)
        (total / tc.global_batch_size).backward()

        grads = None
        if keep_grads:
            grads = {n: p.grad.detach().clone() for n, p in inner.named_parameters()}
            grads["puzzle_emb.local_weights"] = inner.puzzle_emb.local_weights.grad.detach().clone()
        lr = learning_rate(self.step, tc.lr, tc.lr_warmup_steps, tc.total_steps, tc.lr_min_ratio)
        puzzle_lr = learning_rate(self.step, tc.puzzle_emb_lr, tc.lr_warmup_steps, tc.total_steps,
                                  tc.lr_min_ratio)
        if hasattr(inner, "puzzle_emb"):
            sign_sgd_puzzle_step(inner.puzzle_emb, puzzle_lr, tc.puzzle_emb_weight_decay)
        self.adam.step(lr)
        self.adam.zero_grad()
        if self.ema is not None:
            self.ema.update(inner)

        n = tc.global_batch_size
        stats = {"step": self.step, "lr": lr, "puzzle_emb_lr": puzzle_lr,
                 "loss": float(total) / n, "lm_loss": float(lm_loss) / n,
                 "q_halt_loss": float(q_halt_loss) / n, **metrics}
        return stats, logits.detach(), q_halt.detach(), grads


@torch.no_grad()
def evaluate(act, batch, steps=None):
    """Eval mode from a fresh carry: all N_sup steps (or `steps`); per-step outputs stacked."""
    act.eval()
    carry = act.initial_carry(batch)
    logits, q_halt, q_continue, carries = [], [], [], []
    for _ in range(steps or act.cfg.halt_max_steps):
        carry, lg, qh, qc = act(carry, batch)
        logits.append(lg)
        q_halt.append(qh)
        q_continue.append(qc)
        carries.append((carry.y, carry.z))
    return torch.stack(logits), torch.stack(q_halt), torch.stack(q_continue), carries

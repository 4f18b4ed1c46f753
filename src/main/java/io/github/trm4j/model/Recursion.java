package io.github.trm4j.model;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * The recursion of one supervision step, as in the paper's pseudocode (Fig. 3) and the reference
 * code (spec section 2.1): y is the answer, z the latent reasoning, x the embedded question; all
 * three are (B, L, D) in the forward dtype.
 */
final class Recursion {
    private Recursion() {}

    /** The two states carried between recursions and between supervision steps. */
    record State(Tensor y, Tensor z) {}

    /** One supervision step's result: the next state (detached), logits (B, S, V) and q (B, 2) on y. */
    record Outcome(State next, Tensor logits, Tensor q) {}

    /** n times z ← net(z, y + x), then y ← net(y, z). */
    static State latentRecursion(Network net, Tensor x, State state, int n) {
        Tensor y = state.y();
        Tensor z = state.z();
        for (int i = 0; i < n; i++) {
            z = net.apply(z, y.add(x)); // y + x is summed first, then added to z (the reference's order)
        }
        y = net.apply(y, z);
        return new State(y, z);
    }

    /**
     * T latent recursions: the first T−1 without gradient, the last one with gradient (so gradients
     * reach x and the weights only through it); the carry leaves detached.
     */
    static Outcome deepRecursion(Network net, Tensor x, State state, int n, int T) {
        return deepRecursion(net, x, state, n, T, null);
    }

    /** As above, with {@code noise} (may be null) applied to the state before each of the T latent recursions. */
    static Outcome deepRecursion(Network net, Tensor x, State state, int n, int T, UnaryOperator<State> noise) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int t = 0; t < T - 1; t++) {
                state = latentRecursion(net, x, noise == null ? state : noise.apply(state), n);
            }
        }
        state = latentRecursion(net, x, noise == null ? state : noise.apply(state), n);
        Tensor y = state.y();
        return new Outcome(new State(y.detach(), state.z().detach()), net.logits(y), net.q(y));
    }
}

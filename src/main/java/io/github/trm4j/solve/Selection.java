package io.github.trm4j.solve;

import java.util.Arrays;

/** The selection rules of {@link Thinking.Select}: which of a puzzle's candidate answers is its answer. */
public final class Selection {
    private Selection() {}

    /**
     * The winner and how many candidates gave the same answer.
     *
     * @param winner index of the chosen candidate
     * @param agree candidates whose answer equals the winner's (the winner included)
     */
    public record Pick(int winner, int agree) {}

    /**
     * @param answers one answer per candidate (same length each), in candidate order
     * @param qHalt the halting logit of each candidate at its last step
     * @param valid whether each answer passes the rule check (only read by {@code RULES}; may be null otherwise)
     * @param in the candidates taking part (null: all)
     */
    static Pick pick(Thinking.Select rule, int[][] answers, float[] qHalt, boolean[] valid, boolean[] in) {
        int n = answers.length;
        int best = -1;
        for (int c = 0; c < n; c++) if (in(in, c) && (best < 0 || qHalt[c] > qHalt[best])) best = c;
        int winner = switch (rule) {
            case Q -> best;
            case RULES -> {
                int first = -1;
                for (int c = 0; c < n && first < 0; c++) if (in(in, c) && valid[c]) first = c;
                yield first >= 0 ? first : best;
            }
            case VOTE -> vote(answers, qHalt, in);
        };
        return new Pick(winner, agreeing(answers, winner, in));
    }

    /** The candidate with the highest q_halt in the largest group of equal answers; ties between groups by that q_halt. */
    private static int vote(int[][] answers, float[] qHalt, boolean[] in) {
        int n = answers.length;
        int[] group = new int[n]; // the first candidate with the same answer
        int[] size = new int[n];
        int[] top = new int[n];   // per group leader: its member with the highest q_halt
        for (int c = 0; c < n; c++) {
            if (!in(in, c)) continue;
            group[c] = c;
            for (int d = 0; d < c; d++) {
                if (in(in, d) && group[d] == d && Arrays.equals(answers[c], answers[d])) {
                    group[c] = d;
                    break;
                }
            }
            int g = group[c];
            if (size[g]++ == 0 || qHalt[c] > qHalt[top[g]]) top[g] = c;
        }
        int winner = -1;
        for (int g = 0; g < n; g++) {
            if (size[g] == 0) continue;
            if (winner < 0 || size[g] > size[group[winner]] || (size[g] == size[group[winner]] && qHalt[top[g]] > qHalt[winner])) winner = top[g];
        }
        return winner;
    }

    private static int agreeing(int[][] answers, int winner, boolean[] in) {
        int n = 0;
        for (int c = 0; c < answers.length; c++) if (in(in, c) && Arrays.equals(answers[c], answers[winner])) n++;
        return n;
    }

    private static boolean in(boolean[] in, int c) {
        return in == null || in[c];
    }
}

package io.github.trm4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The selection rules on hand-made candidate answers. */
class SelectionTest {
    // five candidates: A, B, A, C, B with q_halt as below; only C passes the rule check
    static final int[] A = {1, 2, 3}, B = {3, 2, 1}, C = {2, 2, 2};
    static final int[][] ANSWERS = {A, B, A, C, B};
    static final float[] Q = {-1f, 2f, 0.5f, 1f, -3f};
    static final boolean[] VALID = {false, false, false, true, false};

    @Test
    void qPicksTheHighestHaltingLogit() {
        assertEquals(new Selection.Pick(1, 2), Selection.pick(Thinking.Select.Q, ANSWERS, Q, VALID, null));
    }

    @Test
    void voteBreaksTiesBetweenEqualGroupsByTheirBestQ() {
        // A and B both have two votes; B's best q (2) beats A's (0.5); the winner is B's best member
        assertEquals(new Selection.Pick(1, 2), Selection.pick(Thinking.Select.VOTE, ANSWERS, Q, VALID, null));
        // one more A makes A the majority although its q is lower; its best member (q 0.5) wins
        int[][] more = {A, B, A, C, B, A};
        float[] q = {-1f, 2f, 0.5f, 1f, -3f, -2f};
        assertEquals(new Selection.Pick(2, 3), Selection.pick(Thinking.Select.VOTE, more, q, new boolean[6], null));
    }

    @Test
    void rulesTakeTheFirstValidAnswerElseQ() {
        assertEquals(new Selection.Pick(3, 1), Selection.pick(Thinking.Select.RULES, ANSWERS, Q, VALID, null));
        assertEquals(new Selection.Pick(1, 2), Selection.pick(Thinking.Select.RULES, ANSWERS, Q, new boolean[5], null));
    }

    @Test
    void onlyTheMarkedCandidatesTakePart() {
        boolean[] firstThree = {true, true, true, false, false};
        assertEquals(new Selection.Pick(1, 1), Selection.pick(Thinking.Select.Q, ANSWERS, Q, VALID, firstThree));
        assertEquals(new Selection.Pick(2, 2), Selection.pick(Thinking.Select.VOTE, ANSWERS, Q, VALID, firstThree));
        assertEquals(new Selection.Pick(1, 1), Selection.pick(Thinking.Select.RULES, ANSWERS, Q, VALID, firstThree));
    }

    @Test
    void oneCandidateIsItsOwnAnswer() {
        for (Thinking.Select rule : Thinking.Select.values())
            assertEquals(new Selection.Pick(0, 1), Selection.pick(rule, new int[][] {A}, new float[] {-5f}, new boolean[1], null));
    }
}

package io.github.trm4j.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ARC pass@k after voting (spec 7.2): a test input counts as solved at k when its true output is
 * among the k best-ranked candidates; a task scores the fraction of its test inputs solved, and
 * pass@k is the mean task score.
 *
 * @param tasks tasks in test_puzzles.json
 * @param tasksEvaluated tasks that received at least one prediction (all of them without --limit); the mean runs over these
 * @param testInputs test inputs of the evaluated tasks
 * @param votes predictions counted (one per evaluated row of an evaluated task)
 * @param candidates distinct (test input, predicted grid) pairs
 * @param passAtK k → task-averaged pass@k, for k in 1, 2, 5, 10, 100, 1000
 */
public record ArcScores(int tasks, int tasksEvaluated, int testInputs, long votes, long candidates, Map<Integer, Double> passAtK) {
    public ArcScores {
        passAtK = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(passAtK));
    }

    /** The reported ARC number: pass@2 ("% test accuracy, 2 tries"). */
    public double passAt2() {
        return passAtK.get(2);
    }

    ObjectNode toJson() {
        ObjectNode o = EvalScores.JSON.createObjectNode();
        passAtK.forEach((k, v) -> o.put("pass@" + k, v));
        o.put("tasks", tasks);
        o.put("tasks_evaluated", tasksEvaluated);
        o.put("test_inputs", testInputs);
        o.put("votes", votes);
        o.put("candidates", candidates);
        return o;
    }
}

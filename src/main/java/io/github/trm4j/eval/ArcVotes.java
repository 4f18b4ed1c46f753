package io.github.trm4j.eval;

import io.github.trm4j.InputException;
import io.github.trm4j.data.ArcAugmentation;
import io.github.trm4j.data.ArcCanvas;
import io.github.trm4j.data.ArcPair;
import io.github.trm4j.data.ArcTask;
import io.github.trm4j.data.ArcVersion;
import io.github.trm4j.data.Grid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ARC vote store (spec 7.2). Each evaluated row is cropped, its augmentation (named by the
 * row's puzzle identifier) undone, and counted as one vote for its de-augmented prediction under
 * the key (task id, de-augmented test input), together with sigmoid(q_halt) in float64.
 * Candidates rank by (votes, mean sigmoid(q_halt)) descending; ties keep the order of first vote.
 *
 * <p>A store belongs to one evaluation. Feeding it the rows of several checkpoints pools their
 * votes: that is the official evaluator's behaviour (TRM issue #35), and {@code --pool-votes}.
 */
final class ArcVotes {
    static final int[] PASS_KS = {1, 2, 5, 10, 100, 1000};
    private static final int[][] FALLBACK = {{0}};

    private record InputKey(String task, Grid input) {}

    /**
     * A predicted grid; {@code grid} null when the crop found no colour at the top-left cell. The
     * official evaluator votes for that empty grid too, so it takes a rank (it can never be right).
     */
    private record Answer(Grid grid) {}

    private static final class Tally {
        int votes;
        double confidence;  // sum of sigmoid(q_halt)

        double mean() {
            return confidence / votes;
        }
    }

    private final List<ArcTask> tasks;
    private final Set<String> taskIds = new HashSet<>();
    private final List<String> names;
    private final Map<Integer, ArcVersion> versions = new HashMap<>();
    private final Map<InputKey, LinkedHashMap<Answer, Tally>> store = new HashMap<>();
    private final Set<String> evaluated = new HashSet<>();
    private long votes;

    /**
     * @param tasks the test tasks with their outputs (test_puzzles.json)
     * @param names puzzle identifier → version name (identifiers.json)
     */
    ArcVotes(List<ArcTask> tasks, List<String> names) {
        this.tasks = List.copyOf(tasks);
        this.names = List.copyOf(names);
        for (ArcTask t : tasks) taskIds.add(t.id());
    }

    /** Counts the votes of one batch's final answers. */
    void add(Scoring.BatchAnswers b) {
        int s = ArcCanvas.SEQ_LEN;
        for (int r = 0; r < b.rows(); r++) {
            ArcVersion v = version(b.puzzleIds()[r]);
            if (!taskIds.contains(v.taskId())) continue;
            ArcAugmentation undo = v.augmentation().inverse();
            Optional<Grid> input = ArcCanvas.crop(Arrays.copyOfRange(b.inputs(), r * s, (r + 1) * s));
            if (input.isEmpty()) continue;  // not an encoded grid: no test input can match it
            Grid predicted = ArcCanvas.crop(Arrays.copyOfRange(b.predictions(), r * s, (r + 1) * s)).map(undo::apply).orElse(null);
            Tally t = store.computeIfAbsent(new InputKey(v.taskId(), undo.apply(input.get())), k -> new LinkedHashMap<>())
                    .computeIfAbsent(new Answer(predicted), k -> new Tally());
            t.votes++;
            t.confidence += 1 / (1 + Math.exp(-(double) b.qHalt()[r]));
            evaluated.add(v.taskId());
            votes++;
        }
    }

    private ArcVersion version(int id) {
        return versions.computeIfAbsent(id, i -> {
            if (i < 0 || i >= names.size())
                throw new InputException("identifiers.json: no name for puzzle identifier " + i + " (it lists " + names.size() + ")");
            return ArcVersion.parse(names.get(i));
        });
    }

    /** The candidates of one test input, best first. */
    private List<Answer> ranked(String task, Grid input) {
        Map<Answer, Tally> m = store.getOrDefault(new InputKey(task, input), new LinkedHashMap<>());
        List<Map.Entry<Answer, Tally>> e = new ArrayList<>(m.entrySet());
        // List.sort is stable: equal (votes, mean) keep the order of their first vote
        e.sort(Comparator.<Map.Entry<Answer, Tally>>comparingInt(x -> x.getValue().votes)
                .thenComparingDouble(x -> x.getValue().mean()).reversed());
        return e.stream().map(Map.Entry::getKey).toList();
    }

    ArcScores score() {
        double[] sums = new double[PASS_KS.length];
        int tasksEvaluated = 0, inputs = 0;
        for (ArcTask task : tasks) {
            if (!evaluated.contains(task.id())) continue;
            tasksEvaluated++;
            inputs += task.test().size();
            for (ArcPair pair : task.test()) {
                int rank = ranked(task.id(), pair.input()).indexOf(new Answer(pair.output()));
                for (int i = 0; i < PASS_KS.length; i++) {
                    if (rank >= 0 && rank < PASS_KS[i]) sums[i] += 1.0 / task.test().size();
                }
            }
        }
        Map<Integer, Double> pass = new LinkedHashMap<>();
        for (int i = 0; i < PASS_KS.length; i++) pass.put(PASS_KS[i], tasksEvaluated == 0 ? 0 : sums[i] / tasksEvaluated);
        long candidates = store.values().stream().mapToLong(Map::size).sum();
        return new ArcScores(tasks.size(), tasksEvaluated, inputs, votes, candidates, pass);
    }

    /**
     * The ARC Prize submission: for every task of the test set, one {attempt_1, attempt_2} per test
     * input: the two best non-empty candidates; the first repeated when there is one, {@code [[0]]}
     * when there is none (a task left out by --limit).
     */
    Map<String, List<Map<String, int[][]>>> submission() {
        Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
        for (ArcTask task : tasks) {
            List<Map<String, int[][]>> attempts = new ArrayList<>();
            for (ArcPair pair : task.test()) {
                List<int[][]> grids = ranked(task.id(), pair.input()).stream()
                        .filter(a -> a.grid() != null).limit(2).map(a -> a.grid().toRows()).toList();
                int[][] first = grids.isEmpty() ? FALLBACK : grids.get(0);
                Map<String, int[][]> m = new LinkedHashMap<>();
                m.put("attempt_1", first);
                m.put("attempt_2", grids.size() > 1 ? grids.get(1) : first);
                attempts.add(m);
            }
            out.put(task.id(), attempts);
        }
        return out;
    }
}

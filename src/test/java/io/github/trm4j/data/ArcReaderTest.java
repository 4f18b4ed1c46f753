package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArcReaderTest {
    private static final String GOOD_TASK = "{\"train\": [{\"input\": [[1, 2], [3, 4]], \"output\": [[4, 3], [2, 1]]}],"
            + " \"test\": [{\"input\": [[0, 5]], \"output\": [[5, 0]]}]}";

    private static void assertCounts(ArcSubset s, int tasks, int demos, int tests) {
        assertEquals(tasks, s.tasks().size(), s.name() + " tasks");
        assertEquals(demos, s.demonstrationPairs(), s.name() + " demonstration pairs");
        assertEquals(tests, s.testPairs(), s.name() + " test pairs");
        assertTrue(s.tasks().stream().allMatch(ArcTask::testOutputsKnown));
    }

    @Test
    void kaggleSubsetsHaveTheCountsOfTheSpecTable() {
        assertCounts(ArcReader.read(ArcTestData.kaggle("training"), true), 400, 1302, 416);
        assertCounts(ArcReader.read(ArcTestData.kaggle("evaluation"), true), 400, 1363, 419);
        assertCounts(ArcReader.read(ArcTestData.kaggle("concept"), true), 160, 427, 480);
        assertCounts(ArcReader.read(ArcTestData.kaggle("training2"), true), 1000, 3232, 1076);
        assertCounts(ArcReader.read(ArcTestData.kaggle("evaluation2"), true), 120, 358, 172);
        assertEquals("training", ArcReader.read(ArcTestData.kaggle("training"), true).name());
    }

    @Test
    void taskFoldersHaveTheirReadmeCounts() {
        Path root = ArcTestData.root();
        assertCounts(ArcReader.read(root.resolve("arc-agi-1/training"), true), 400, 1302, 416);
        assertCounts(ArcReader.read(root.resolve("arc-agi-1/evaluation"), true), 400, 1363, 419);
        assertCounts(ArcReader.read(root.resolve("concept-arc/corpus"), true), 160, 427, 480);
        assertCounts(ArcReader.read(root.resolve("arc-agi-2/training"), true), 1000, 3232, 1076);
        // the GitHub release of ARC-AGI-2 evaluation differs from the Kaggle copy the TRM repo ships
        assertCounts(ArcReader.read(root.resolve("arc-agi-2/evaluation"), true), 120, 359, 167);
    }

    @Test
    void folderAndKaggleLayoutsGiveTheSameTasks() {
        Path root = ArcTestData.root();
        for (String[] pair : new String[][] {{"arc-agi-1/training", "training"}, {"arc-agi-1/evaluation", "evaluation"}, {"concept-arc/corpus", "concept"}}) {
            Map<String, ArcTask> folder = byId(ArcReader.read(root.resolve(pair[0]), true));
            Map<String, ArcTask> kaggle = byId(ArcReader.read(ArcTestData.kaggle(pair[1]), true));
            assertEquals(kaggle.keySet(), folder.keySet(), pair[0]);
            assertEquals(kaggle, folder, pair[0]);
        }
    }

    private static Map<String, ArcTask> byId(ArcSubset s) {
        return s.tasks().stream().collect(Collectors.toMap(ArcTask::id, Function.identity()));
    }

    @Test
    void readsSingleTaskFilesAndChallengesWithoutSolutions(@TempDir Path tmp) throws IOException {
        Path one = write(tmp.resolve("abcd.json"), GOOD_TASK);
        ArcTask t = ArcReader.read(one, true).tasks().get(0);
        assertEquals("abcd", t.id());
        assertEquals(Grid.of(new int[][] {{4, 3}, {2, 1}}), t.train().get(0).output());
        assertEquals(Grid.of(new int[][] {{5, 0}}), t.test().get(0).output());

        Path challenges = write(tmp.resolve("x_challenges.json"), "{\"t1\": {\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": [{\"input\": [[3]]}]}}");
        ArcSubset s = ArcReader.read(challenges, false);
        assertEquals("x", s.name());
        assertNull(s.tasks().get(0).test().get(0).output());
        assertFalse(s.tasks().get(0).testOutputsKnown());
    }

    // ---- bad input: one line naming the file, task, pair and fault

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String failure(Path path) {
        String m = assertThrows(InputException.class, () -> ArcReader.read(path, true)).getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        return m;
    }

    private static String taskWithTrainInput(String grid) {
        return "{\"train\": [{\"input\": [[1]], \"output\": [[1]]}, {\"input\": " + grid + ", \"output\": [[1]]}], \"test\": [{\"input\": [[1]], \"output\": [[1]]}]}";
    }

    @Test
    void nonRectangularGrid(@TempDir Path tmp) throws IOException {
        Path f = write(tmp.resolve("tasks/t1.json"), taskWithTrainInput("[[1, 2, 3], [4, 5]]"));
        assertEquals(f + ": task t1, train[1].input: grid not rectangular, row 1 has 2 cells but row 0 has 3", failure(tmp.resolve("tasks")));
    }

    @Test
    void gridOver30(@TempDir Path tmp) throws IOException {
        String row = "[" + "0, ".repeat(30) + "0]";
        Path wide = write(tmp.resolve("wide.json"), taskWithTrainInput("[" + row + "]"));
        assertEquals(wide + ": task wide, train[1].input: 31 columns, more than 30", failure(wide));
        String tall = "[" + "[0], ".repeat(31) + "[0]]";
        Path high = write(tmp.resolve("high.json"), taskWithTrainInput(tall));
        assertEquals(high + ": task high, train[1].input: 32 rows, more than 30", failure(high));
    }

    @Test
    void badValues(@TempDir Path tmp) throws IOException {
        for (String v : new String[] {"10", "-1", "2.5", "\"3\"", "null"}) {
            Path f = write(tmp.resolve("v.json"), taskWithTrainInput("[[0, 1], [2, " + v + "]]"));
            assertEquals(f + ": task v, train[1].input: bad value " + v + " at row 1, column 1 (colours are integers 0..9)", failure(f));
        }
        Path empty = write(tmp.resolve("e.json"), taskWithTrainInput("[]"));
        assertEquals(empty + ": task e, train[1].input: empty grid", failure(empty));
    }

    @Test
    void missingKeys(@TempDir Path tmp) throws IOException {
        Path noTrain = write(tmp.resolve("n.json"), "{\"test\": [{\"input\": [[1]], \"output\": [[1]]}]}");
        assertEquals(noTrain + ": task n: missing 'train'", failure(noTrain));
        Path noOutput = write(tmp.resolve("o.json"), "{\"train\": [{\"input\": [[1]]}], \"test\": [{\"input\": [[1]], \"output\": [[1]]}]}");
        assertEquals(noOutput + ": task o, train[0]: missing 'output'", failure(noOutput));
        Path noTestOutput = write(tmp.resolve("dir/p.json"), "{\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": [{\"input\": [[1]]}, {\"input\": [[2]]}]}");
        assertEquals(tmp.resolve("dir") + ": task p, test[0]: missing 'output' (a build needs the test outputs)", failure(tmp.resolve("dir")));
        Path emptyTest = write(tmp.resolve("q.json"), "{\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": []}");
        assertEquals(emptyTest + ": task q: 'test' is empty", failure(emptyTest));
        assertTrue(Files.exists(noTestOutput));
    }

    @Test
    void truncatedJson(@TempDir Path tmp) throws IOException {
        Path f = write(tmp.resolve("cut.json"), GOOD_TASK.substring(0, 60));
        String m = failure(f);
        assertTrue(m.startsWith(f + ": truncated JSON at line 1, column 61 ("), m);
        Path garbage = write(tmp.resolve("g.json"), "{\"train\": [1, 2,, 3]}");
        assertTrue(failure(garbage).startsWith(garbage + ": invalid JSON at line 1, column 17"), failure(garbage));
        Path blank = write(tmp.resolve("blank.json"), "");
        assertEquals(blank + ": empty file", failure(blank));
    }

    @Test
    void kaggleSolutionsProblems(@TempDir Path tmp) throws IOException {
        String challenges = "{\"t1\": {\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": [{\"input\": [[3]]}, {\"input\": [[4]]}]}}";
        Path c = write(tmp.resolve("arc-agi_demo_challenges.json"), challenges);
        assertEquals(c + ": solutions file arc-agi_demo_solutions.json not found beside it (a build needs the test outputs)", failure(c));

        Path s = write(tmp.resolve("arc-agi_demo_solutions.json"), "{\"t1\": [[[5]]]}");
        assertEquals(s + ": task t1: 1 solution grid(s) for 2 test input(s)", failure(c));
        write(s, "{\"t2\": [[[5]], [[6]]]}");
        assertEquals(s + ": task t1: missing (the challenges file has it)", failure(c));
        write(s, "{\"t1\": [[[5]], [[6, 7], [8]]]}");
        assertEquals(s + ": task t1, solution 1: grid not rectangular, row 1 has 1 cells but row 0 has 2", failure(c));
        write(s, "{\"t1\": [[[5]], [[6]]]}");
        ArcTask t = ArcReader.read(c, true).tasks().get(0);
        assertEquals(Grid.of(new int[][] {{6}}), t.test().get(1).output());
        assertEquals("demo", ArcReader.read(c, true).name());
    }

    @Test
    void badPaths(@TempDir Path tmp) throws IOException {
        assertEquals(tmp.resolve("nope") + ": no such file or folder", failure(tmp.resolve("nope")));
        Files.createDirectories(tmp.resolve("empty"));
        assertEquals(tmp.resolve("empty") + ": no *.json task files in this folder or below", failure(tmp.resolve("empty")));
        Path txt = write(tmp.resolve("tasks.txt"), "x");
        assertEquals(txt + ": expected a task folder, a *_challenges.json or a .json task file", failure(txt));
        write(tmp.resolve("dup/a/t.json"), GOOD_TASK);
        Path second = write(tmp.resolve("dup/b/t.json"), GOOD_TASK);
        assertEquals(second + ": task id 't' also comes from " + tmp.resolve("dup/a/t.json"), failure(tmp.resolve("dup")));
        Path list = write(tmp.resolve("list.json"), "[1, 2]");
        assertEquals(list + ": expected a JSON object, got a list", failure(list));
        Path notTask = write(tmp.resolve("combined.json"), "{\"t9\": [1]}");
        assertEquals(notTask + ": task t9: expected an object with 'train' and 'test', got a list", failure(notTask));
    }

    @Test
    void pairsKeepTheirOrder() {
        ArcTask t = ArcReader.read(ArcTestData.root().resolve("arc-agi-1/training/007bbfb7.json"), true).tasks().get(0);
        assertEquals(List.of(5, 1), List.of(t.train().size(), t.test().size()));
        assertEquals(Grid.of(new int[][] {{0, 7, 7}, {7, 7, 7}, {0, 7, 7}}), t.train().get(0).input());
        assertEquals(6, t.pairs().size());
    }
}

package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {
    private static String train(int step, int halted, double exact) {
        return "{\"type\":\"train\",\"step\":" + step + ",\"loss\":" + (3.0 / step) + ",\"halted\":" + halted + ",\"exact_accuracy\":"
                + (halted == 0 ? "null" : exact) + ",\"accuracy\":" + (halted == 0 ? "null" : 0.9) + "}\n";
    }

    @Test
    void drawsTheCurveWeightedByFinishedSequences(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), train(1, 0, 0) + train(2, 1, 0.0) + train(3, 3, 1.0)
                + "{\"type\":\"eval\",\"step\":3,\"exact_accuracy\":0.5,\"accuracy\":0.8}\n");
        CliRun r = CliRun.of("plot", tmp.toString(), "--window", "2");
        assertEquals(0, r.exitCode(), r.err());
        // steps 2 and 3: (1 x 0 + 3 x 1) / 4 finished sequences
        assertTrue(r.err().contains("3 steps, 1 evaluations, train exact accuracy 75.0% at the end"), r.err());
        BufferedImage img = ImageIO.read(tmp.resolve("training.png").toFile());
        assertEquals(900, img.getWidth());

        CliRun again = CliRun.of("plot", tmp.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("training.png"), again.err());
        assertEquals(0, CliRun.of("plot", tmp.toString(), "--force").exitCode());
    }

    @Test
    void plotsTheLossBeforeAnySequenceFinishedAndRunsToTheLastEvaluation(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), train(1, 0, 0) + train(2, 0, 0)
                + "{\"type\":\"eval\",\"step\":5,\"exact_accuracy\":0.0,\"accuracy\":0.1}\n");
        CliRun r = CliRun.of("plot", tmp.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("5 steps, 1 evaluations, no sequence has finished its supervision steps yet (loss only)"), r.err());
        assertTrue(Files.isRegularFile(tmp.resolve("training.png")));
    }

    @Test
    void badMetricsNameTheLine(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), train(1, 2, 0.5) + "{oops\n" + train(2, 2, 0.5));
        CliRun r = CliRun.of("plot", tmp.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("metrics.jsonl: line 2: not JSON"), r.err());
        assertFalse(Files.exists(tmp.resolve("training.png")));
        // the last line of a running training may be half written: it is left out
        Files.writeString(tmp.resolve("metrics.jsonl"), train(1, 2, 0.5) + "{\"type\":\"tr");
        assertEquals(0, CliRun.of("plot", tmp.toString()).exitCode());
        CliRun missing = CliRun.of("plot", tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("metrics.jsonl: missing"), missing.err());
    }

    private static String timed(int step, double seconds) {
        return "{\"type\":\"train\",\"step\":" + step + ",\"loss\":1,\"halted\":0,\"seconds\":" + seconds + ",\"T\":1,\"n\":2}\n";
    }

    private static String eval(int step, String set, double exact) {
        return "{\"type\":\"eval\",\"step\":" + step + ",\"set\":\"" + set + "\",\"exact_accuracy\":" + exact + ",\"accuracy\":0.9}\n";
    }

    @Test
    void comparesRunsAgainstTrainingWallClock(@TempDir Path tmp) throws Exception {
        // the slow run: 60 s a step, 40% then 60% on set a; the fast one: 30 s a step, 30% then 70%
        Path slow = Files.createDirectories(tmp.resolve("slow"));
        Path fast = Files.createDirectories(tmp.resolve("fast"));
        Files.writeString(slow.resolve("metrics.jsonl"), timed(1, 60) + timed(2, 60) + eval(2, "a", 0.4) + eval(2, "b", 0.1)
                + "{\"type\":\"eval\",\"step\":2,\"exact_accuracy\":0.9}\n" + timed(3, 60) + timed(4, 60) + eval(4, "a", 0.6) + eval(4, "b", 0.2));
        Files.writeString(fast.resolve("metrics.jsonl"), timed(1, 30) + timed(2, 30) + eval(2, "a", 0.3) + eval(2, "b", 0.0)
                + timed(3, 30) + timed(4, 30) + eval(4, "a", 0.7) + eval(4, "b", 0.3));
        Path png = tmp.resolve("cmp.png");
        CliRun r = CliRun.of("plot", "--compare", slow.toString(), fast.toString(), "--out", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 0);
        String table = r.out();
        assertTrue(table.contains("| run | steps | training minutes | a: last | a at 2.0 min | a: minutes to 60.0% |"), table);
        // slow at 2 minutes: its first evaluation (40%); fast reaches 60% between 1 min (30%) and 2 min (70%): 1.75 min
        assertTrue(table.contains("| slow | 4 | 4.0 | 60.0% | 40.0% | 4.0 |"), table);
        assertTrue(table.contains("| fast | 4 | 2.0 | 70.0% | 70.0% | 1.8 |"), table);

        assertEquals(2, CliRun.of("plot", "--compare", slow.toString()).exitCode(), "--out is required");
        CliRun cell = CliRun.of("plot", "--compare", slow.toString(), fast.toString(), "--metric", "cell", "--out", tmp.resolve("c.png").toString());
        assertEquals(0, cell.exitCode(), cell.err());
        assertTrue(cell.out().contains("| slow | 4 | 4.0 | 90.0% | 90.0% | 2.0 |"), cell.out());
        assertEquals(2, CliRun.of("plot", "--compare", slow.toString(), "--metric", "f1", "--out", tmp.resolve("d.png").toString()).exitCode());
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve("metrics.jsonl"), train(1, 0, 0) + eval(1, "a", 0.1));
        CliRun refused = CliRun.of("plot", "--compare", old.toString(), "--out", tmp.resolve("x.png").toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("has no 'seconds'"), refused.err());
    }
}

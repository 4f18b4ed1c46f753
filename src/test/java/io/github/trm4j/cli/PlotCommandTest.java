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
        Files.writeString(tmp.resolve("metrics.jsonl"), train(1, 2, 0.5) + "{oops\n");
        CliRun r = CliRun.of("plot", tmp.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("metrics.jsonl: line 2: not JSON"), r.err());
        assertFalse(Files.exists(tmp.resolve("training.png")));
        CliRun missing = CliRun.of("plot", tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("metrics.jsonl: missing"), missing.err());
    }
}

package io.github.trm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void offTheTerminalItWritesPlainLinesWithRateAndEta() {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setProperty("trm.progress.seconds", "0");
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            try (Progress p = Progress.lines("train", 10, "steps", 4)) {
                p.setExtraMessage("loss 0.5");
                p.stepTo(5);
                p.println("eval at step 5: exact accuracy 0.1");
            }
            try (Progress p = Progress.start("eval", 3, "puzzles", false)) {
                p.stepTo(3);
            }
        } finally {
            System.setErr(old);
            System.clearProperty("trm.progress.seconds");
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).startsWith("train: 5/10 steps (50%), ") && lines.get(0).contains(" steps/s, ETA ")
                && lines.get(0).endsWith("; loss 0.5"), lines.get(0));
        assertEquals("eval at step 5: exact accuracy 0.1", lines.get(1));
        assertEquals(2, lines.size(), "no repeated line at close, nothing when disabled: " + lines);
    }

    @Test
    void durationsReadAsSecondsMinutesOrHours() {
        assertEquals("75 s", Progress.duration(75));
        assertEquals("12m 05s", Progress.duration(725));
        assertEquals("3h 20m", Progress.duration(12_000));
    }
}

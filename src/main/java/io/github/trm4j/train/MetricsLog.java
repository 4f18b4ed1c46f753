package io.github.trm4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per line, flushed as written. A resumed run first drops the
 * lines of steps after its checkpoint, so the file reads as one uninterrupted run.
 */
final class MetricsLog implements AutoCloseable {
    static final String FILE = "metrics.jsonl";
    private final BufferedWriter out;

    private MetricsLog(BufferedWriter out) {
        this.out = out;
    }

    /** Starts a fresh log in {@code runDir}. */
    static MetricsLog create(Path runDir) {
        try {
            return new MetricsLog(Files.newBufferedWriter(runDir.resolve(FILE), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE), e);
        }
    }

    /** Continues the log of {@code runDir}, keeping only lines of steps up to {@code step}. */
    static MetricsLog resume(Path runDir, long step) {
        Path file = runDir.resolve(FILE);
        try {
            List<String> kept = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) continue;
                    JsonNode n;
                    try {
                        n = TrainConfig.JSON.readTree(line);
                    } catch (IOException e) {
                        continue; // a line cut short by a crash
                    }
                    if (n.path("step").asLong(Long.MAX_VALUE) <= step) kept.add(line);
                }
            }
            Files.write(file, kept, StandardCharsets.UTF_8);
            return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    /**
     * The lines of {@code runDir/metrics.jsonl}, for reading a run (finished or running: a last line
     * still being written is skipped); a missing file or another line that is not JSON is one InputException.
     */
    static List<JsonNode> read(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new InputException(file + ": missing (is " + runDir + " a run folder?)");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<JsonNode> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                try {
                    out.add(TrainConfig.JSON.readTree(lines.get(i)));
                } catch (IOException e) {
                    if (i == lines.size() - 1) break;
                    throw new InputException(file + ": line " + (i + 1) + ": not JSON");
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void write(JsonNode line) {
        try {
            out.write(line.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + FILE, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + FILE, e);
        }
    }
}

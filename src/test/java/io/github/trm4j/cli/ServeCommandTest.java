package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trm serve} refuses bad options and model files with one line and exit code 2, before binding. */
class ServeCommandTest {
    @Test
    void badOptionsAreOneLineErrors() {
        String[][] cases = {
            {"--port", "70000"}, {"--time-limit", "0"}, {"--workers", "0"}, {"--queue", "-1"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("serve", c[0], c[1]);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().startsWith("trm: " + c[0]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void aMissingOrBrokenCheckpointIsNamed(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.safetensors");
        Files.writeString(broken, "not a model");
        for (Path p : new Path[] {dir.resolve("missing.safetensors"), broken}) {
            CliRun r = CliRun.of("serve", "--port", "0", "--checkpoint", p.toString());
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains(p.getFileName().toString()), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }
}

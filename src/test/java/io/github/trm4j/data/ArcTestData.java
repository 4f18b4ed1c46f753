package io.github.trm4j.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared ARC data: {@code ../shared/data} from the repository root, else {@code /work/shared/data}. */
final class ArcTestData {
    private ArcTestData() {}

    static Path root() {
        Path relative = Path.of("..", "shared", "data");
        return Files.isDirectory(relative) ? relative : Path.of("/work/shared/data");
    }

    static Path kaggle() {
        return root().resolve("arc-kaggle");
    }

    static Path kaggle(String subset) {
        return kaggle().resolve("arc-agi_" + subset + "_challenges.json");
    }
}

package io.github.trm4j.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The tasks read from one source (a task folder or a Kaggle challenges file), in a stable order:
 * folders by path, Kaggle files in file order.
 */
public record ArcSubset(String name, Path source, List<ArcTask> tasks) {
    public ArcSubset {
        tasks = List.copyOf(tasks);
    }

    public int demonstrationPairs() {
        return tasks.stream().mapToInt(t -> t.train().size()).sum();
    }

    public int testPairs() {
        return tasks.stream().mapToInt(t -> t.test().size()).sum();
    }
}

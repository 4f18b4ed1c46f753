package io.github.trm4j.data;

import io.github.trm4j.AtomicOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a dataset in the official on-disk layout (spec 6.1) into a temporary folder beside the
 * target and renames it into place on {@link #commit()}. Closing without committing removes it,
 * so a failed build leaves nothing behind.
 */
public final class DatasetWriter implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private boolean committed;

    private DatasetWriter(Path target, Path tmp) {
        this.target = target;
        this.tmp = tmp;
    }

    /** Starts a build of {@code out}; refuses a non-empty {@code out} unless {@code force}. */
    public static DatasetWriter create(Path out, boolean force) {
        return new DatasetWriter(out, AtomicOutput.beginDirectory(out, "dataset", force));
    }

    /** A streaming writer for split {@code name} ("train" or "test") with tokens of {@code tokenType}. */
    public SplitWriter split(String name, NpyType tokenType, int seqLen) {
        Path dir = tmp.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw Npy.io(dir, e);
        }
        return new SplitWriter(dir, tokenType, seqLen);
    }

    public void writeMetadata(String split, DatasetMetadata metadata) {
        metadata.write(tmp.resolve(split).resolve("dataset.json"));
    }

    /** {@code identifiers.json}: identifier id to puzzle name, "&lt;blank&gt;" for 0. */
    public void writeIdentifiers(List<String> names) {
        writeJson("identifiers.json", names);
    }

    /** Any JSON value as a file at the dataset root, e.g. ARC's {@code test_puzzles.json}. */
    public void writeJson(String fileName, Object value) {
        Path file = tmp.resolve(fileName);
        try {
            DatasetMetadata.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw Npy.io(file, e);
        }
    }

    /** Moves the finished dataset into place and returns its path. */
    public Path commit() {
        AtomicOutput.commitDirectory(tmp, target);
        committed = true;
        return target;
    }

    @Override
    public void close() {
        if (!committed) AtomicOutput.abandon(tmp);
    }
}

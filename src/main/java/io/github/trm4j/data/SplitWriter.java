package io.github.trm4j.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Streams one split: examples are appended to the current puzzle, puzzles to the current group.
 * Writes {@code all__inputs/labels} row by row and the CSR index arrays (spec 6.1) on close.
 */
public final class SplitWriter implements AutoCloseable {
    /** Example, puzzle and group counts of a finished split. */
    public record Counts(long examples, int puzzles, int groups) {
        public double meanPuzzleExamples() {
            return puzzles == 0 ? 0 : (double) examples / puzzles;
        }
    }

    private final Path dir;
    private final int seqLen;
    private final NpyWriter inputs;
    private final NpyWriter labels;
    private final IntList puzzleIndices = new IntList();
    private final IntList puzzleIdentifiers = new IntList();
    private final IntList groupIndices = new IntList();
    private long examples;
    private boolean closed;

    SplitWriter(Path dir, NpyType tokenType, int seqLen) {
        this.dir = dir;
        this.seqLen = seqLen;
        this.inputs = NpyWriter.create(dir.resolve("all__inputs.npy"), tokenType, seqLen);
        try {
            this.labels = NpyWriter.create(dir.resolve("all__labels.npy"), tokenType, seqLen);
        } catch (RuntimeException e) {
            NpyWriter.closeQuietly(inputs);
            throw e;
        }
        puzzleIndices.add(0);
        groupIndices.add(0);
    }

    /** Appends one example (input and label token rows of length seq_len) to the current puzzle. */
    public void addExample(int[] input, int[] label) {
        checkLength(input.length, "input");
        checkLength(label.length, "label");
        inputs.appendInts(input);
        labels.appendInts(label);
        examples++;
    }

    /** Byte-token variant of {@link #addExample(int[], int[])} (tokens 0..255). */
    public void addExample(byte[] input, byte[] label) {
        checkLength(input.length, "input");
        checkLength(label.length, "label");
        inputs.appendBytes(input);
        labels.appendBytes(label);
        examples++;
    }

    /** Closes the current puzzle, which gets embedding row {@code identifier}. */
    public void endPuzzle(int identifier) {
        if (examples == puzzleIndices.last()) throw new IllegalStateException("puzzle " + puzzleIdentifiers.size() + " has no examples");
        puzzleIndices.add(Math.toIntExact(examples));
        puzzleIdentifiers.add(identifier);
    }

    /** Closes the current group (an original puzzle with all its augmented versions). */
    public void endGroup() {
        if (puzzleIdentifiers.size() == groupIndices.last()) throw new IllegalStateException("group " + (groupIndices.size() - 1) + " has no puzzles");
        groupIndices.add(puzzleIdentifiers.size());
    }

    public Counts counts() {
        return new Counts(examples, puzzleIdentifiers.size(), groupIndices.size() - 1);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try (inputs; labels) {
            // both files are closed even when one fails (a full disk): no file handle outlives the build
        }
        if (examples != puzzleIndices.last()) throw new IllegalStateException("examples after the last endPuzzle()");
        if (puzzleIdentifiers.size() != groupIndices.last()) throw new IllegalStateException("puzzles after the last endGroup()");
        write("all__puzzle_indices.npy", puzzleIndices);
        write("all__puzzle_identifiers.npy", puzzleIdentifiers);
        write("all__group_indices.npy", groupIndices);
    }

    private void write(String name, IntList values) {
        Npy.writeInts(dir.resolve(name), NpyType.INT32, new long[] {values.size()}, values.toArray());
    }

    private void checkLength(int n, String what) {
        if (n != seqLen) throw new IllegalArgumentException(what + " has " + n + " tokens, seq_len is " + seqLen);
    }

    /** A growable int array; the index arrays of ARC-scale builds hold about a million entries. */
    private static final class IntList {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int last() {
            return a[n - 1];
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}

package io.github.trm4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One split of a dataset in the official on-disk layout (spec 6.1), as written by trm4j or by the
 * official Python builders. The CSR index arrays are held in memory; token rows are read on demand,
 * so an ARC-scale split costs a few megabytes of heap.
 */
public final class PuzzleDataset {
    private final Path dir;
    private final DatasetMetadata metadata;
    private final Npy.Header inputs;
    private final Npy.Header labels;
    private final int[] puzzleIndices;
    private final int[] puzzleIdentifiers;
    private final int[] groupIndices;

    private PuzzleDataset(Path dir, DatasetMetadata metadata, Npy.Header inputs, Npy.Header labels,
                          int[] puzzleIndices, int[] puzzleIdentifiers, int[] groupIndices) {
        this.dir = dir;
        this.metadata = metadata;
        this.inputs = inputs;
        this.labels = labels;
        this.puzzleIndices = puzzleIndices;
        this.puzzleIdentifiers = puzzleIdentifiers;
        this.groupIndices = groupIndices;
    }

    /** Opens {@code root/split} and checks that its files agree with each other and with dataset.json. */
    public static PuzzleDataset open(Path root, String split) {
        Path dir = root.resolve(split);
        if (!Files.isDirectory(root))
            throw new InputException(root + ": no such dataset folder (build one with ./trm data build ...)");
        if (!Files.isDirectory(dir)) throw new InputException(root + ": no '" + split + "' split folder (expected " + dir + ")");
        DatasetMetadata meta = DatasetMetadata.read(require(dir.resolve("dataset.json")));
        String set = meta.sets().get(0);
        Npy.Header in = Npy.header(require(dir.resolve(set + "__inputs.npy")));
        Npy.Header lab = Npy.header(require(dir.resolve(set + "__labels.npy")));
        int[] pi = Npy.readInts(require(dir.resolve(set + "__puzzle_indices.npy")));
        int[] ids = Npy.readInts(require(dir.resolve(set + "__puzzle_identifiers.npy")));
        int[] gi = Npy.readInts(require(dir.resolve(set + "__group_indices.npy")));
        for (Npy.Header h : List.of(in, lab)) {
            if (!h.type().isInteger()) throw new InputException(h.file() + ": tokens must be integers, found " + h.type());
            if (h.shape().length != 2 || h.shape()[1] != meta.seqLen())
                throw new InputException(h.file() + ": shape " + Arrays.toString(h.shape()) + " does not match [N, seq_len=" + meta.seqLen() + "]");
        }
        if (lab.rows() != in.rows()) throw new InputException(lab.file() + ": " + lab.rows() + " rows, but the inputs have " + in.rows());
        checkCsr(dir.resolve(set + "__puzzle_indices.npy"), pi, in.rows(), "examples");
        checkCsr(dir.resolve(set + "__group_indices.npy"), gi, ids.length, "puzzles");
        if (ids.length != pi.length - 1)
            throw new InputException(dir.resolve(set + "__puzzle_identifiers.npy") + ": " + ids.length + " identifiers for " + (pi.length - 1) + " puzzles");
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= meta.numPuzzleIdentifiers())
                throw new InputException(dir.resolve(set + "__puzzle_identifiers.npy") + ": entry " + i + " = " + ids[i]
                        + " is outside num_puzzle_identifiers " + meta.numPuzzleIdentifiers());
        }
        return new PuzzleDataset(dir, meta, in, lab, pi, ids, gi);
    }

    private static void checkCsr(Path file, int[] idx, long total, String what) {
        if (idx.length == 0 || idx[0] != 0) throw new InputException(file + ": must start with 0");
        for (int i = 1; i < idx.length; i++) {
            if (idx[i] < idx[i - 1]) throw new InputException(file + ": entry " + i + " decreases (" + idx[i - 1] + " then " + idx[i] + ")");
        }
        if (idx[idx.length - 1] != total) throw new InputException(file + ": ends at " + idx[idx.length - 1] + " but there are " + total + " " + what);
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) throw new InputException(file + ": missing");
        return file;
    }

    public Path dir() {
        return dir;
    }

    public DatasetMetadata metadata() {
        return metadata;
    }

    public long examples() {
        return inputs.rows();
    }

    public int puzzles() {
        return puzzleIdentifiers.length;
    }

    public int groups() {
        return groupIndices.length - 1;
    }

    /** Examples [from, to) of puzzle p. */
    public int puzzleStart(int p) {
        return puzzleIndices[p];
    }

    public int puzzleEnd(int p) {
        return puzzleIndices[p + 1];
    }

    /** Puzzles [from, to) of group g. */
    public int groupStart(int g) {
        return groupIndices[g];
    }

    public int groupEnd(int g) {
        return groupIndices[g + 1];
    }

    public int puzzleIdentifier(int p) {
        return puzzleIdentifiers[p];
    }

    /** Input tokens of examples [start, start+count), row-major [count, seq_len], checked against the vocabulary. */
    public int[] inputs(long start, int count) {
        return checkedTokens(inputs, start, count);
    }

    /** Label tokens of examples [start, start+count), row-major [count, seq_len]; ignore_label_id marks unsupervised cells. */
    public int[] labels(long start, int count) {
        return checkedTokens(labels, start, count);
    }

    private int[] checkedTokens(Npy.Header h, long start, int count) {
        int[] t = Npy.readInts(h, start, count);
        int v = metadata.vocabSize();
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 0 || t[i] >= v)
                throw new InputException(h.file() + ": row " + (start + i / metadata.seqLen()) + " has token " + t[i] + " outside vocab_size " + v);
        }
        return t;
    }

    /** identifiers.json beside the split folders, or an empty list when absent. */
    public List<String> identifierNames() {
        Path file = dir.getParent().resolve("identifiers.json");
        if (!Files.isRegularFile(file)) return List.of();
        try {
            JsonNode root = DatasetMetadata.JSON.readTree(file.toFile());
            if (root == null || !root.isArray()) throw new InputException(file + ": expected a JSON list of names");
            List<String> names = new ArrayList<>(root.size());
            for (JsonNode n : root) names.add(n.asText());
            return names;
        } catch (IOException e) {
            throw new InputException(file + ": not valid JSON");
        }
    }
}

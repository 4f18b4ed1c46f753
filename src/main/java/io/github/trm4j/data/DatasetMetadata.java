package io.github.trm4j.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.trm4j.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One split's {@code dataset.json}, field for field as the official builders write it (spec 6.1). */
@JsonPropertyOrder({"pad_id", "ignore_label_id", "blank_identifier_id", "vocab_size", "seq_len", "num_puzzle_identifiers",
        "total_groups", "mean_puzzle_examples", "total_puzzles", "sets"})
public record DatasetMetadata(
        @JsonProperty("pad_id") int padId,
        @JsonProperty("ignore_label_id") Integer ignoreLabelId,
        @JsonProperty("blank_identifier_id") int blankIdentifierId,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("seq_len") int seqLen,
        @JsonProperty("num_puzzle_identifiers") int numPuzzleIdentifiers,
        @JsonProperty("total_groups") int totalGroups,
        @JsonProperty("mean_puzzle_examples") double meanPuzzleExamples,
        @JsonProperty("total_puzzles") int totalPuzzles,
        @JsonProperty("sets") List<String> sets) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT); // 11.7 is not a vocab size
    private static final String[] REQUIRED = {"pad_id", "blank_identifier_id", "vocab_size", "seq_len", "num_puzzle_identifiers",
        "total_groups", "mean_puzzle_examples", "sets"};

    public DatasetMetadata {
        sets = List.copyOf(sets);
    }

    /** Reads and checks {@code file}; every problem names the file and the field. */
    public static DatasetMetadata read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) throw new InputException(file + ": expected a JSON object");
        for (String f : REQUIRED) if (!root.hasNonNull(f)) throw new InputException(file + ": missing field '" + f + "'");
        DatasetMetadata m;
        try {
            m = JSON.treeToValue(root, DatasetMetadata.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "" : "field '" + e.getPath().get(e.getPath().size() - 1).getFieldName() + "': ";
            throw new InputException(file + ": " + field + firstLine(e.getOriginalMessage()).replaceAll(" \\(but could.*", ""));
        } catch (IOException e) {
            throw new InputException(file + ": " + firstLine(e.getMessage()));
        }
        m.check(file);
        return m;
    }

    /** Upper bounds on the sizes a dataset.json may claim: they size embedding tables before any data is read. */
    static final int MAX_VOCAB = 1 << 16, MAX_SEQ_LEN = 1 << 16, MAX_PUZZLE_IDENTIFIERS = 1 << 22;

    private void check(Path file) {
        bounded(file, "vocab_size", vocabSize, MAX_VOCAB);
        bounded(file, "seq_len", seqLen, MAX_SEQ_LEN);
        bounded(file, "num_puzzle_identifiers", numPuzzleIdentifiers, MAX_PUZZLE_IDENTIFIERS);
        if (padId < 0 || padId >= vocabSize) throw new InputException(file + ": field 'pad_id' " + padId + " is outside the vocabulary");
        if (sets.isEmpty()) throw new InputException(file + ": field 'sets' is empty");
    }

    private static void bounded(Path file, String field, int value, int max) {
        if (value < 1) throw new InputException(file + ": field '" + field + "' must be positive, got " + value);
        if (value > max) throw new InputException(file + ": field '" + field + "' is " + value + ", above the limit " + max);
    }

    public void write(Path file) {
        try {
            Files.writeString(file, JSON.writeValueAsString(this));
        } catch (IOException e) {
            throw Npy.io(file, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package io.github.trm4j.data;

import io.github.trm4j.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Maze-Hard CSV (spec 6.3): a header {@code source,question,answer,rating}, then one maze per
 * row, question and answer as row-major strings over {@code "# SGo"} with side = sqrt(length).
 * An empty answer field means "no answer". Every row is checked: shape, characters, one S and one
 * G, and an answer that is the question plus one shortest path.
 */
public final class MazeCsv {
    static final List<String> HEADER = List.of("source", "question", "answer", "rating");

    private MazeCsv() {}

    /** One row: where it came from, the maze, the rating as written, and the file line it starts on. */
    public record Entry(String source, Maze maze, String rating, int line) {}

    /** Every row of {@code file}, in order. */
    public static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        forEach(file, out::add);
        return out;
    }

    /** Streams the rows of {@code file} to {@code sink}, in order; stops at the first bad row. */
    public static void forEach(Path file, Consumer<Entry> sink) {
        try (CsvRows rows = CsvRows.open(file)) {
            CsvRows.Row header = rows.next();
            if (header == null) throw new InputException(file + ": empty file, expected the header 'source,question,answer,rating'");
            if (!header.fields().equals(HEADER))
                throw new InputException(file + ":" + header.line() + ": expected the header 'source,question,answer,rating', found '"
                        + abbreviate(String.join(",", header.fields())) + "'");
            for (CsvRows.Row row = rows.next(); row != null; row = rows.next()) sink.accept(parse(file, row));
        }
    }

    private static Entry parse(Path file, CsvRows.Row row) {
        List<String> f = row.fields();
        String at = file + ":" + row.line() + ": ";
        if (f.size() != 4) throw new InputException(at + "expected 4 fields (source,question,answer,rating), found " + f.size());
        Maze maze;
        try {
            maze = Maze.of(Maze.parseGrid(f.get(1), "question"));
        } catch (IllegalArgumentException e) {
            throw new InputException(at + "field 'question': " + e.getMessage());
        }
        if (!f.get(2).isEmpty()) {
            try {
                maze = maze.withAnswer(Maze.parseGrid(f.get(2), "answer"));
                MazeSolver.checkAnswer(maze);
            } catch (IllegalArgumentException e) {
                throw new InputException(at + "field 'answer': " + e.getMessage());
            }
        }
        return new Entry(f.get(0), maze, f.get(3), row.line());
    }

    /** Writes rows in the same layout; {@link #write(Entry)} each, then close. Not atomic by itself. */
    public static final class Writer implements AutoCloseable {
        private final Path file;
        private final java.io.Writer out;

        public Writer(Path file) {
            this.file = file;
            try {
                this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
                line(HEADER);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        public void write(String source, Maze maze, String rating) {
            String answer = maze.answer().map(Maze::text).orElse("");
            try {
                line(List.of(source, Maze.text(maze.question()), answer, rating));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        private void line(List<String> fields) throws IOException {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) out.write(',');
                out.write(quoteIfNeeded(fields.get(i)));
            }
            out.write('\n');
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    static String quoteIfNeeded(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}

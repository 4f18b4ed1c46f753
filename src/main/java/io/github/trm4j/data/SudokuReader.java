package io.github.trm4j.data;

import io.github.trm4j.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Streams Sudokus from a file, one at a time, so inputs of millions of rows need no memory.
 *
 * <p>Two formats: the HRM / Sudoku-Extreme CSV ({@code source,question,answer,rating} with a
 * header row; chosen for a {@code .csv} name or when the first line is that header), and plain
 * line files (one 81-character puzzle per line, {@code #} comments and blank lines skipped, no
 * answer). Blanks are {@code .} or {@code 0}; CRLF is accepted. A CSV answer may be empty (unknown).
 * Every problem is an {@link InputException} naming the file, line and field.
 */
public final class SudokuReader implements AutoCloseable {
    static final String CSV_HEADER = "source,question,answer,rating";
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");

    private final Path file;
    private final BufferedReader in;
    private final boolean csv;
    private int lineNumber;
    private int puzzleLine;
    /** A line file's first line, read to tell the format and returned by the first {@link #readLine()}. */
    private String pending;

    private SudokuReader(Path file, BufferedReader in, boolean csv, int lineNumber, String pending) {
        this.file = file;
        this.in = in;
        this.csv = csv;
        this.lineNumber = lineNumber;
        this.pending = pending;
    }

    /** Opens {@code file}; a CSV's header is read and checked here. */
    public static SudokuReader open(Path file) {
        BufferedReader in;
        try {
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            String first = stripBom(in.readLine());
            boolean header = first != null && first.strip().toLowerCase(Locale.ROOT).startsWith("source,");
            boolean csv = header || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
            if (!csv) return new SudokuReader(file, in, false, 0, first);
            if (first == null) throw new InputException(file + ": empty file, expected the header '" + CSV_HEADER + "'");
            if (!first.strip().equals(CSV_HEADER))
                throw new InputException(file + ":1: expected the header '" + CSV_HEADER + "', got '" + abbreviate(first.strip()) + "'");
            return new SudokuReader(file, in, true, 1, null);
        } catch (CharacterCodingException e) {
            close(in);
            throw new InputException(file + ": not UTF-8 text (a binary file?)");
        } catch (IOException e) {
            close(in);
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            close(in);
            throw e;
        }
    }

    /** Every puzzle of {@code file}, for inputs small enough to hold. */
    public static List<SudokuPuzzle> readAll(Path file) {
        List<SudokuPuzzle> out = new ArrayList<>();
        try (SudokuReader r = open(file)) {
            for (SudokuPuzzle p = r.next(); p != null; p = r.next()) out.add(p);
        }
        return out;
    }

    /** The next puzzle, or null at the end of the file. */
    public SudokuPuzzle next() {
        String line;
        while ((line = readLine()) != null) {
            String s = line.strip();
            if (s.isEmpty() || (!csv && s.startsWith("#"))) continue;
            puzzleLine = lineNumber;
            return csv ? parseCsvRow(s) : SudokuPuzzle.of(parseCells(s, null, false));
        }
        return null;
    }

    /** The 1-based line of the puzzle last returned by {@link #next()}. */
    public int lineNumber() {
        return puzzleLine;
    }

    public Path file() {
        return file;
    }

    public boolean isCsv() {
        return csv;
    }

    private SudokuPuzzle parseCsvRow(String row) {
        String[] f = splitFields(row);
        if (f.length != 4)
            throw error(null, "expected 4 fields (" + CSV_HEADER + "), got " + f.length + (f.length < 4 ? " (truncated row?)" : ""));
        Grid question = parseCells(f[1], "question", false);
        Grid answer = f[2].isEmpty() ? null : parseCells(f[2], "answer", true);
        if (!f[3].isEmpty() && !INTEGER.matcher(f[3]).matches()) throw error("rating", "'" + abbreviate(f[3]) + "' is not an integer");
        SudokuPuzzle p = new SudokuPuzzle(question, answer);
        p.answerProblem().ifPresent(problem -> {
            throw error(problem.startsWith("given") ? "question" : "answer", problem);
        });
        return p;
    }

    /** 81 cells: digits, and for questions '.' or '0' for blanks. */
    private Grid parseCells(String s, String field, boolean answer) {
        if (s.length() != SudokuPuzzle.CELLS) throw error(field, "expected 81 characters, got " + s.length());
        byte[] cells = new byte[SudokuPuzzle.CELLS];
        for (int i = 0; i < cells.length; i++) {
            char ch = s.charAt(i);
            if (ch >= '1' && ch <= '9') cells[i] = (byte) (ch - '0');
            else if (!answer && (ch == '.' || ch == '0')) cells[i] = 0;
            else throw error(field, "character " + (i + 1) + " '" + printable(ch) + "' is not " + (answer ? "a digit 1-9" : "a digit 1-9, '.' or '0'"));
        }
        return Grid.of(SudokuPuzzle.SIDE, SudokuPuzzle.SIDE, cells);
    }

    private static String[] splitFields(String row) {
        List<String> out = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= row.length(); i++) {
            if (i == row.length() || row.charAt(i) == ',') {
                String f = row.substring(start, i).strip();
                if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) f = f.substring(1, f.length() - 1);
                out.add(f);
                start = i + 1;
            }
        }
        return out.toArray(String[]::new);
    }

    private InputException error(String field, String what) {
        return new InputException(file + ":" + lineNumber + ": " + (field == null ? "" : field + ": ") + what);
    }

    private String readLine() {
        try {
            String line = pending != null ? pending : in.readLine();
            pending = null;
            if (line != null) {
                lineNumber++;
                if (lineNumber == 1) line = stripBom(line);
            }
            return line;
        } catch (CharacterCodingException e) {
            // the decoder reads ahead, so the line is not known exactly
            throw new InputException(file + ": not UTF-8 text (a binary file?)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " after line " + lineNumber, e);
        }
    }

    private static String stripBom(String s) {
        return s != null && s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String printable(char ch) {
        return ch < 0x20 || ch == 0x7F ? String.format("\\u%04x", (int) ch) : String.valueOf(ch);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public void close() {
        close(in);
    }

    private static void close(BufferedReader in) {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

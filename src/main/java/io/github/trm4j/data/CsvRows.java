package io.github.trm4j.data;

import io.github.trm4j.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file record by record (RFC 4180: quoted fields with doubled quotes and line breaks,
 * LF or CRLF). A leading byte order mark is dropped; blank lines are skipped. Problems are {@link InputException}s naming file and line.
 * The puzzle CSVs hold spaces and {@code #} in unquoted fields, which is plain CSV.
 */
final class CsvRows implements AutoCloseable {
    /** One record and the line it starts on (1-based). */
    record Row(int line, List<String> fields) {}

    private final Path file;
    private final Reader in;
    private int line = 1;
    private static final int NONE = -2;
    private int pushedBack = NONE;

    private CsvRows(Path file, Reader in) throws IOException {
        this.file = file;
        this.in = in;
        int first = read();
        if (first != '\uFEFF') pushedBack = first; // a byte order mark is not part of the header, as for SudokuReader
    }

    static CsvRows open(Path file) {
        try {
            return new CsvRows(file, new BufferedReader(
                    new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The next record, or null at the end of the file. */
    Row next() {
        try {
            int c = read();
            while (c == '\n' || c == '\r') {
                endLine(c);
                c = read();
            }
            if (c < 0) return null;
            int start = line;
            List<String> fields = new ArrayList<>(4);
            StringBuilder field = new StringBuilder();
            while (true) {
                if (c == '"' && field.isEmpty()) {
                    c = readQuoted(field, start);
                } else {
                    while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                        if (c == '"') throw new InputException(file + ":" + line + ": stray '\"' inside an unquoted field " + (fields.size() + 1));
                        field.append((char) c);
                        c = read();
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (c == ',') {
                    c = read();
                    continue;
                }
                if (c >= 0) endLine(c);
                return new Row(start, fields);
            }
        } catch (IOException e) {
            throw new InputException(file + ":" + line + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads a quoted field after its opening quote; returns the character after the closing quote. */
    private int readQuoted(StringBuilder field, int start) throws IOException {
        while (true) {
            int c = read();
            if (c < 0) throw new InputException(file + ":" + start + ": quoted field is never closed (file truncated?)");
            if (c == '"') {
                int d = read();
                if (d != '"') {
                    if (d >= 0 && d != ',' && d != '\n' && d != '\r')
                        throw new InputException(file + ":" + line + ": unexpected " + (char) d + " after a closing quote");
                    return d;
                }
            } else if (c == '\n') {
                line++;
            }
            field.append((char) c);
        }
    }

    /** Finishes the line break that {@code c} starts (LF, CR or CRLF). */
    private void endLine(int c) throws IOException {
        if (c == '\r') {
            int d = read();
            if (d != '\n') pushedBack = d;
        }
        line++;
    }

    private int read() throws IOException {
        if (pushedBack != NONE) {
            int c = pushedBack;
            pushedBack = NONE;
            return c;
        }
        int c = in.read();
        // Malformed bytes decode to U+FFFD; caught here, where the line number is exact.
        if (c == '\uFFFD') throw new InputException(file + ":" + line + ": not UTF-8 text");
        return c;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new InputException(file + ": cannot close (" + e.getMessage() + ")");
        }
    }
}

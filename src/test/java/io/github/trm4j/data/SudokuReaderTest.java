package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SudokuReaderTest {
    private static final String Q = SudokuTestData.QUESTION;
    private static final String A = SudokuTestData.ANSWER;
    private static final String HEADER = "source,question,answer,rating\n";

    @Test
    void readsTheSharedFilesInBothFormats() {
        List<SudokuPuzzle> csv = SudokuReader.readAll(SudokuTestData.file("magictour_top1465_solved.csv"));
        List<SudokuPuzzle> txt = SudokuReader.readAll(SudokuTestData.file("puzzles3_magictour_top1465.txt"));
        assertEquals(1465, csv.size());
        assertEquals(1465, txt.size());
        for (int i = 0; i < csv.size(); i++) assertEquals(csv.get(i).question(), txt.get(i).question(), "puzzle " + i);
        assertTrue(csv.stream().allMatch(SudokuPuzzle::hasAnswer));
        assertTrue(txt.stream().noneMatch(SudokuPuzzle::hasAnswer));
        assertEquals(SudokuTestData.grid(Q), csv.get(0).question());
        assertEquals(SudokuTestData.grid(A), csv.get(0).answer());
        assertEquals(18, csv.get(0).givens());
    }

    @Test
    void lineFilesSkipCommentsAndBlankLinesAndAcceptCrlfAndZeroBlanks(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("p.txt");
        String zeros = Q.replace('.', '0');
        Files.writeString(f, "\uFEFF# a comment\r\n\r\n" + Q + "\r\n   \n# another\n" + zeros + "\n" + zeros);
        try (SudokuReader r = SudokuReader.open(f)) {
            assertFalse(r.isCsv());
            assertEquals(SudokuTestData.grid(Q), r.next().question());
            assertEquals(3, r.lineNumber());
            assertEquals(SudokuTestData.grid(Q), r.next().question());
            assertEquals(6, r.lineNumber());
            SudokuPuzzle last = r.next();
            assertNull(last.answer());
            assertNull(r.next());
        }
    }

    @Test
    void csvIsRecognisedByItsHeaderAndMayLackAnswers(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("puzzles.data");
        Files.writeString(f, HEADER.replace("\n", "\r\n") + "x," + Q + "," + A + ",59\r\ny," + Q.replace('.', '0') + ",,\r\n");
        List<SudokuPuzzle> ps = SudokuReader.readAll(f);
        assertEquals(2, ps.size());
        assertEquals(SudokuTestData.grid(A), ps.get(0).answer());
        assertFalse(ps.get(1).hasAnswer());
    }

    @Test
    void malformedLineFilesNameFileLineAndColumn(@TempDir Path tmp) throws Exception {
        assertError(tmp, "short.txt", Q + "\n" + Q.substring(0, 40), "short.txt:2: expected 81 characters, got 40");
        assertError(tmp, "long.txt", "# c\n" + Q + "1\n", "long.txt:2: expected 81 characters, got 82");
        assertError(tmp, "chars.txt", Q + "\n" + Q.substring(0, 16) + "x" + Q.substring(17) + "\n",
                "chars.txt:2: character 17 'x' is not a digit 1-9, '.' or '0'");
        assertError(tmp, "tab.txt", Q.substring(0, 5) + "\t" + Q.substring(6), "tab.txt:1: character 6 '\\u0009' is not");
        InputException e = assertThrows(InputException.class, () -> SudokuReader.readAll(tmp.resolve("missing.txt")));
        assertTrue(e.getMessage().endsWith("missing.txt: no such file"), e.getMessage());
    }

    @Test
    void malformedCsvNamesFileLineAndField(@TempDir Path tmp) throws Exception {
        assertError(tmp, "header.csv", "question,answer\n" + Q + "," + A + "\n", "header.csv:1: expected the header 'source,question,answer,rating'");
        assertError(tmp, "empty.csv", "", "empty.csv: empty file");
        assertError(tmp, "fields.csv", HEADER + "s," + Q + "," + A + ",1\ns," + Q + "," + A + "\n",
                "fields.csv:3: expected 4 fields (source,question,answer,rating), got 3 (truncated row?)");
        assertError(tmp, "truncated.csv", HEADER + "s," + Q + "," + A.substring(0, 50), "truncated.csv:2: expected 4 fields");
        assertError(tmp, "short.csv", HEADER + "s," + Q + "," + A.substring(1) + ",1\n", "short.csv:2: answer: expected 81 characters, got 80");
        assertError(tmp, "blank.csv", HEADER + "s," + Q + "," + A.replace('9', '.') + ",1\n", "blank.csv:2: answer: character 4 '.' is not a digit 1-9");
        assertError(tmp, "qchar.csv", HEADER + "s," + Q.replace('4', 'A') + "," + A + ",1\n", "qchar.csv:2: question: character 1 'A' is not");
        assertError(tmp, "rating.csv", HEADER + "s," + Q + "," + A + ",hard\n", "rating.csv:2: rating: 'hard' is not an integer");
        // the answer keeps the grid valid but changes the given 4 at row 1, column 1
        String otherGiven = "5" + Q.substring(1);
        assertError(tmp, "given.csv", HEADER + "s," + otherGiven + "," + A + ",1\n",
                "given.csv:2: question: given 5 at row 1, column 1 contradicts the answer's 4");
        // swap two cells of a row: the rows stay permutations, the columns do not
        String bad = A.charAt(1) + "" + A.charAt(0) + A.substring(2);
        assertError(tmp, "invalid.csv", HEADER + "s," + Q.replace('4', '.') + "," + bad + ",1\n", "invalid.csv:2: answer: answer repeats");
    }

    private static void assertError(Path dir, String name, String content, String expected) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        InputException e = assertThrows(InputException.class, () -> SudokuReader.readAll(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }
}

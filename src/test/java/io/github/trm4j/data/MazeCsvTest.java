package io.github.trm4j.data;

import static io.github.trm4j.data.MazeTest.A;
import static io.github.trm4j.data.MazeTest.Q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MazeCsvTest {
    static final String HEADER = "source,question,answer,rating\n";

    @TempDir Path tmp;

    Path file(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void readsPlainQuotedAndCrlfRowsAndMissingAnswers() throws Exception {
        Path f = file("ok.csv", HEADER
                + "hard," + Q + "," + A + ",12\n"
                + "\"with,comma \"\"q\"\"\",\"" + Q + "\",,0\r\n"
                + "\n"
                + "last," + Q + "," + A + ",7");
        List<MazeCsv.Entry> rows = MazeCsv.read(f);
        assertEquals(3, rows.size());
        assertEquals("hard", rows.get(0).source());
        assertEquals(Maze.parse(Q, A), rows.get(0).maze());
        assertEquals("12", rows.get(0).rating());
        assertEquals(2, rows.get(0).line());
        assertEquals("with,comma \"q\"", rows.get(1).source());
        assertTrue(rows.get(1).maze().answer().isEmpty());
        assertEquals(5, rows.get(2).line());
    }

    @Test
    void writerRoundTrips() throws Exception {
        Path f = tmp.resolve("out.csv");
        Maze m = Maze.parse(Q, A);
        try (MazeCsv.Writer w = new MazeCsv.Writer(f)) {
            w.write("a,b", m, "12");
            w.write("plain", Maze.of(m.question()), "0");
        }
        assertTrue(Files.readString(f).startsWith(HEADER + "\"a,b\"," + Q + ","));
        List<MazeCsv.Entry> back = MazeCsv.read(f);
        assertEquals(m, back.get(0).maze());
        assertEquals("a,b", back.get(0).source());
        assertTrue(back.get(1).maze().answer().isEmpty());
    }

    @Test
    void brokenFilesNameFileLineFieldAndProblem() throws Exception {
        String row = "x," + Q + "," + A + ",1\n";
        bad("empty.csv", "", "empty.csv: empty file");
        bad("noheader.csv", row, "noheader.csv:1: expected the header 'source,question,answer,rating'");
        bad("fields.csv", HEADER + row + "x," + Q + "\n", "fields.csv:3: expected 4 fields (source,question,answer,rating), found 2");
        bad("square.csv", HEADER + "x," + Q + " ,,1\n", "square.csv:2: field 'question': question has 26 characters, not a square number");
        bad("truncated.csv", HEADER + "x," + Q.substring(0, 20), "truncated.csv:2: expected 4 fields");
        bad("badchar.csv", HEADER + "x," + Q.replace("# ###", "#.###") + ",,1\n", "badchar.csv:2: field 'question': question has bad character '.' at row 3, column 1");
        bad("twostarts.csv", HEADER + "x," + Q.replace('G', 'S') + ",,1\n", "twostarts.csv:2: field 'question': question has 2 start cells 'S'");
        bad("nogoal.csv", HEADER + "x," + Q.replace('G', ' ') + ",,1\n", "nogoal.csv:2: field 'question': question has 0 goal cells 'G'");
        bad("pathinq.csv", HEADER + "x," + A + ",,1\n", "pathinq.csv:2: field 'question': question cell (0,1) holds token 5");
        bad("differs.csv", HEADER + "x," + Q + "," + A.replace("#oooG", "ooooG") + ",1\n",
                "differs.csv:2: field 'answer': answer differs from question at row 4, column 0: '#' became 'o'");
        bad("short.csv", HEADER + "x," + Q + "," + A.replace("#oooG", "#o  G") + ",1\n",
                "short.csv:2: field 'answer': answer has 9 path cells 'o' but the shortest path from S to G has 11");
        bad("size.csv", HEADER + "x," + Q + "," + A.substring(0, 16) + ",1\n", "size.csv:2: field 'answer': answer is 4x4 but question is 5x5");
        bad("quote.csv", HEADER + "\"x," + Q + ",,1\n", "quote.csv:2: quoted field is never closed");
        bad("stray.csv", HEADER + "x\"y," + Q + ",,1\n", "stray.csv:2: stray '\"' inside an unquoted field 1");
        Path bin = tmp.resolve("latin1.csv");
        Files.write(bin, (HEADER + "caf\u00e9," + Q + ",,1\n").getBytes(StandardCharsets.ISO_8859_1));
        bad(bin, "latin1.csv:2: not UTF-8 text");
        bad(tmp.resolve("missing.csv"), "missing.csv: no such file");
    }

    private void bad(String name, String content, String expected) throws Exception {
        bad(file(name, content), expected);
    }

    private static void bad(Path f, String expected) {
        InputException e = assertThrows(InputException.class, () -> MazeCsv.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    }
}

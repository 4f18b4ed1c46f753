package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SudokuEncodingTest {
    @Test
    void valueVBecomesTokenVPlusOneRowMajor() {
        // spec 6.2: blank 0 -> 1, digits 1..9 -> 2..10; vocab 11 with PAD 0 unused; seq_len 81
        assertEquals(11, SudokuEncoding.VOCAB_SIZE);
        assertEquals(81, SudokuEncoding.SEQ_LEN);
        byte[] q = SudokuEncoding.encode(SudokuTestData.grid(SudokuTestData.QUESTION)); // "4...3......."
        assertArrayEquals(new byte[] {5, 1, 1, 1, 4, 1, 1, 1, 1}, java.util.Arrays.copyOf(q, 9));
        assertEquals(1, q[80]);
        byte[] a = SudokuEncoding.encode(SudokuTestData.grid(SudokuTestData.ANSWER)); // "468931527..."
        assertArrayEquals(new byte[] {5, 7, 9, 10, 4, 2, 6, 3, 8}, java.util.Arrays.copyOf(a, 9));
        assertEquals(7, a[80], "last answer digit 6");
        for (byte t : a) assertEquals(true, t >= 2 && t <= 10, "labels are the full solution: no blanks");
    }

    @Test
    void decodeInvertsEncodeAndToleratesPad() {
        Grid g = SudokuTestData.grid(SudokuTestData.QUESTION);
        byte[] t = SudokuEncoding.encode(g);
        int[] tokens = new int[81];
        for (int i = 0; i < 81; i++) tokens[i] = t[i];
        assertEquals(g, SudokuEncoding.decode(tokens));
        tokens[0] = 0;
        assertEquals(0, SudokuEncoding.decode(tokens).get(0, 0));
        tokens[0] = 11;
        assertThrows(IllegalArgumentException.class, () -> SudokuEncoding.decode(tokens));
    }
}

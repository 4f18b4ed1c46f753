package io.github.trm4j.solve;

/**
 * Whether an answer obeys the puzzle's rules, checked without the model.
 *
 * @param detail one line: what holds ("rules ok, agrees with 30 givens") or the first problem ("row 3 has two 7s")
 */
public record Check(boolean valid, String detail) {}

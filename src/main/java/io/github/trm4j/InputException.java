package io.github.trm4j;

/**
 * Malformed user input: a file, line, field or flag that cannot be used. The message is one line
 * that names where the problem is and what is wrong; the CLI prints it and exits with code 2. Any
 * control character in the message (from a name read out of a file) is escaped by
 * {@link Printable#of}, so the message stays one line and cannot drive the terminal.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(Printable.of(message));
    }

    public InputException(String message, Throwable cause) {
        super(Printable.of(message), cause);
    }
}

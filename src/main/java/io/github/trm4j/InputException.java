package io.github.trm4j;

/**
 * Malformed user input: a file, line, field or flag that cannot be used. The message is one line
 * that names where the problem is and what is wrong; the CLI prints it and exits with code 2.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}

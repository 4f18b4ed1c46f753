package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What the CLI prints for a failure that reached a command's edge: one line and an exit code. 2 for
 * input the user gave (an {@link InputException}, a path that does not exist or is of the wrong
 * kind, a file that is not text); 1 for the environment (disk full, read-only or forbidden folder,
 * port in use, out of memory) and for internal errors, which name the exception and point at
 * {@code --debug}.
 */
record Failure(String message, int exitCode) {
    static final int USER = 2;
    static final int ENVIRONMENT = 1;

    static Failure of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputException) return new Failure(oneLine(t.getMessage()), USER);
        }
        IOException io = deepest(e, IOException.class);
        if (io != null) return io(e, io);
        if (deepest(e, UnresolvedAddressException.class) != null)
            return new Failure("cannot resolve the host address (check --host)", USER);
        if (deepest(e, OutOfMemoryError.class) != null)
            return new Failure("out of memory (Java heap); give the JVM more, e.g. TRM_JAVA_OPTS=-Xmx8g, or use a smaller batch", ENVIRONMENT);
        String text = e.getMessage() == null ? "" : e.getMessage();
        if (isNativeAllocationFailure(text))
            return new Failure("out of memory: " + oneLine(text) + " (use a smaller batch or model)", ENVIRONMENT);
        return new Failure("internal error: " + e.getClass().getName() + (text.isEmpty() ? "" : ": " + oneLine(text))
                + " (rerun with --debug for the stack trace)", ENVIRONMENT);
    }

    /** "cannot write X: No space left on device": the outermost context the code gave, then the cause. */
    private static Failure io(Throwable top, IOException root) {
        String context = null;
        for (Throwable t = top; t != null && t != root; t = t.getCause()) {
            if ((t instanceof UncheckedIOException || t instanceof IOException) && t.getMessage() != null
                    && !t.getMessage().equals(String.valueOf(t.getCause()))) {
                context = t.getMessage();
                break;
            }
        }
        String cause = describe(root, context == null);
        String message = context == null || context.contains(cause) ? (context == null ? cause : context) : context + ": " + cause;
        return new Failure(oneLine(message), userCaused(root) ? USER : ENVIRONMENT);
    }

    /** A wrong path or a file that is not text: the user can fix the command line. */
    private static boolean userCaused(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException || e instanceof CharacterCodingException) return true;
        String m = e.getMessage() == null ? "" : e.getMessage();
        // FileInputStream (behind Jackson's readTree(File)) says "x (Is a directory)"
        return m.contains("Is a directory") || m.contains("Not a directory") || m.endsWith("(No such file or directory)");
    }

    /** The cause in words; {@code withFile}: name the file too (when no context names it). */
    private static String describe(IOException e, boolean withFile) {
        if (e instanceof CharacterCodingException) return "not UTF-8 text";
        if (e instanceof BindException) return e.getMessage() == null ? "cannot bind the address" : e.getMessage() + " (choose another --port or --host)";
        if (!(e instanceof FileSystemException f)) return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String file = f.getFile() == null || !withFile ? "" : f.getFile() + ": ";
        if (f.getReason() != null) return file + f.getReason();
        if (e instanceof AccessDeniedException) return file + "permission denied";
        if (e instanceof NoSuchFileException) return file + "no such file or folder";
        if (e instanceof NotDirectoryException) return file + "not a folder";
        if (e instanceof FileAlreadyExistsException) return file + "already exists";
        if (e instanceof DirectoryNotEmptyException) return file + "folder is not empty";
        return withFile ? f.getMessage() : "failed";
    }

    private static boolean isNativeAllocationFailure(String m) {
        String l = m.toLowerCase(Locale.ROOT);
        return l.contains("can't allocate memory") || l.contains("out of memory") || l.contains("std::bad_alloc");
    }

    private static <T extends Throwable> T deepest(Throwable e, Class<T> type) {
        T found = null;
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) found = type.cast(t);
        return found;
    }

    /** The first line, without control characters (a message must not redraw the terminal). */
    private static String oneLine(String s) {
        if (s == null) return "";
        String first = s.strip().lines().findFirst().orElse("");
        StringBuilder b = new StringBuilder(first.length());
        first.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}

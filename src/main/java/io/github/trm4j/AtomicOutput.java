package io.github.trm4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes nothing partial: output is built in a temporary sibling of the target and renamed into
 * place at the end. Existing non-empty targets are refused unless {@code force} is set.
 */
public final class AtomicOutput {
    private AtomicOutput() {}

    /** A temporary folder beside {@code target}; call {@link #commitDirectory} when complete. */
    public static Path beginDirectory(Path target, boolean force) {
        checkTarget(target, force);
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix"))
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder beside " + target, e);
        }
    }

    /** Moves the finished temporary folder onto {@code target}, replacing it if it existed. */
    public static void commitDirectory(Path tmp, Path target) {
        try {
            if (Files.exists(target)) deleteRecursively(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + target, e);
        }
    }

    /** A temporary file beside {@code target}; call {@link #commitFile} when complete. */
    public static Path beginFile(Path target, boolean force) {
        checkTarget(target, force);
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + target.getFileName() + ".tmp-", "");
            // createTempFile makes the file private (0600); a finished output should read like any other file
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix"))
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file beside " + target, e);
        }
    }

    /** fsyncs {@code tmp} and renames it onto {@code target}. */
    public static void commitFile(Path tmp, Path target) {
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + tmp, e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException("cannot rename atomically onto " + target, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + target, e);
        }
    }

    /** Removes a temporary file or folder left by a failed write; never throws. */
    public static void abandon(Path tmp) {
        if (tmp == null) return;
        try {
            deleteRecursively(tmp);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: the temporary name starts with a dot and never shadows real output
        }
    }

    private static void checkTarget(Path target, boolean force) {
        if (force || !Files.exists(target)) return;
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isEmpty()) return;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + target, e);
            }
            throw new InputException(target + ": output folder is not empty (pass --force to replace it)");
        }
        throw new InputException(target + ": output file exists (pass --force to replace it)");
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
        }
    }

}

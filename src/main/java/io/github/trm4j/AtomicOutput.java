package io.github.trm4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes nothing partial and deletes nothing of the user's. Output is built in a temporary sibling
 * of the target and renamed into place at the end. An existing target is replaced only with
 * {@code force}, and then only when it is a previous output of the same kind: an output folder
 * carries a marker file ({@value #MARKER}) listing every path trm wrote into it, and a folder
 * holding anything else is refused. The old folder is renamed aside before the new one is renamed
 * in, and deleted only after that. The root, the home folder and the working folder (or a folder
 * holding it) are never replaced, forced or not.
 */
public final class AtomicOutput {
    /** The marker in every output folder: its kind on the first line, then each path written, one a line. */
    public static final String MARKER = ".trm4j-output";

    private AtomicOutput() {}

    /**
     * A temporary folder beside {@code target}; call {@link #commitDirectory} when complete.
     *
     * @param kind what the folder holds ("dataset", "eval", "trace"); --force replaces only a folder of the same kind
     */
    public static Path beginDirectory(Path target, String kind, boolean force) {
        checkDirectoryTarget(target, kind, force);
        Path parent = createParent(target);
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix"))
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(tmp.resolve(MARKER), kind + "\n");
            return tmp;
        } catch (IOException e) {
            abandon(tmp); // a full disk may fail the marker after the folder was made
            throw new UncheckedIOException("cannot create a temporary folder beside " + target, e);
        }
    }

    /** The refusals of {@link #beginDirectory}, without creating anything (the other ranks of a distributed run). */
    public static void checkDirectory(Path target, String kind, boolean force) {
        checkDirectoryTarget(target, kind, force);
    }

    /**
     * Moves the finished temporary folder onto {@code target}. An existing target is checked again
     * (it may have changed since {@link #beginDirectory}), renamed aside, and deleted once the new
     * folder is in place.
     */
    public static void commitDirectory(Path tmp, Path target) {
        String kind = readMarker(tmp).orElseThrow(() -> new IllegalStateException(tmp + " was not made by beginDirectory")).kind();
        writeManifest(tmp, kind);
        Path old = null;
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                checkDirectoryTarget(target, kind, true);
                if (isEmptyDirectory(target)) {
                    Files.delete(target);
                } else {
                    old = target.resolveSibling("." + target.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + target, e);
        }
        if (old != null) deleteOurs(old, kind);
    }

    /** A temporary file beside {@code target}; call {@link #commitFile} when complete. */
    public static Path beginFile(Path target, boolean force) {
        checkFileTarget(target, force);
        Path parent = createParent(target);
        try {
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
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) throw new InputException(target + ": is a folder, not a file");
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

    /**
     * Refuses to replace or clear the file-system root, the home folder, the working folder or a
     * folder holding it ({@code .}, {@code ..}): whatever the flags, trm never removes those.
     */
    public static void refuseProtected(Path target) {
        refuseProtected(target, realOrNormal(Path.of("").toAbsolutePath()), realOrNormal(Path.of(System.getProperty("user.home", "/"))));
    }

    static void refuseProtected(Path target, Path cwd, Path home) {
        if (!Files.exists(target)) return;
        Path real = realOrNormal(target);
        String why = null;
        if (real.getParent() == null) why = "is the root folder";
        else if (real.equals(home)) why = "is the home folder";
        else if (cwd.startsWith(real)) why = real.equals(cwd) ? "is the working folder" : "holds the working folder";
        if (why != null)
            throw new InputException(target + ": " + why + "; trm never replaces it (name a new folder for the output)");
    }

    private static Path realOrNormal(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static void checkDirectoryTarget(Path target, String kind, boolean force) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
        refuseProtected(target);
        if (Files.isSymbolicLink(target))
            throw new InputException(target + ": is a symbolic link; name the folder itself (trm replaces only folders it wrote)");
        if (!Files.isDirectory(target)) throw new InputException(target + ": is a file, not a folder");
        if (isEmptyDirectory(target)) return;
        if (!force) throw new InputException(target + ": output folder is not empty (pass --force to replace it)");
        String foreign = foreignEntry(target, kind);
        if (foreign != null) throw new InputException(target + ": " + foreign + "; --force replaces only a folder trm wrote"
                + " (remove it yourself or choose another output folder)");
    }

    /** Why {@code dir} is not a previous output of {@code kind}, or null when it is one. */
    private static String foreignEntry(Path dir, String kind) {
        Optional<Marker> marker = readMarker(dir);
        if (marker.isEmpty()) return "has no " + MARKER + " marker, so it is not a folder trm wrote";
        if (!marker.get().kind().equals(kind)) return "holds a " + marker.get().kind() + " output, not a " + kind + " output";
        for (String entry : entries(dir)) {
            if (!entry.equals(MARKER) && !marker.get().paths().contains(entry))
                return "holds " + dir.resolve(entry) + ", which trm did not write";
        }
        return null;
    }

    private record Marker(String kind, Set<String> paths) {}

    private static Optional<Marker> readMarker(Path dir) {
        Path file = dir.resolve(MARKER);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) return Optional.empty();
            return Optional.of(new Marker(lines.get(0), new TreeSet<>(lines.subList(1, lines.size()))));
        } catch (IOException e) {
            return Optional.empty(); // unreadable or not UTF-8: not our marker
        }
    }

    private static void writeManifest(Path tmp, String kind) {
        List<String> lines = new ArrayList<>();
        lines.add(kind);
        for (String e : entries(tmp)) if (!e.equals(MARKER)) lines.add(e);
        try {
            Files.write(tmp.resolve(MARKER), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp.resolve(MARKER), e);
        }
    }

    /** Every path below {@code dir}, relative, with '/' separators; folders end in '/'. Links are not followed. */
    private static List<String> entries(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/')
                            + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Deletes a folder renamed aside, after checking once more that it holds only what trm wrote. */
    private static void deleteOurs(Path old, String kind) {
        if (foreignEntry(old, kind) != null) return; // changed after the check: keep it (a dot-folder beside the output)
        abandon(old);
    }

    /** Refuses a {@code target} below a regular file (it could never be created). */
    public static void refuseFileAncestor(Path target) {
        for (Path p = target.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p))
                throw new InputException(target + ": cannot be created, " + p + " is a file, not a folder");
        }
    }

    private static Path createParent(Path target) {
        refuseFileAncestor(target);
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent, e);
        }
        return parent;
    }

    private static void checkFileTarget(Path target, boolean force) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(target)) throw new InputException(target + ": is a folder, not a file");
        if (!Files.isRegularFile(target))
            throw new InputException(target + ": is not a regular file (a device, pipe or dangling link); trm replaces only regular files");
        if (!force) throw new InputException(target + ": output file exists (pass --force to replace it)");
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
        }
    }
}

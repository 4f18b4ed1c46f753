package io.github.trm4j.train;

import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A run folder's rules. A new run may start in a missing or empty folder, or in one holding only
 * the files of a run that never got past step 0 (killed before its first checkpoint); one that
 * trained further needs {@code --resume} or {@code --force}. A folder holding any file that is
 * not a run file is never started over: trm deletes only what it wrote. While a run trains it
 * holds an exclusive lock on {@value #LOCK}, so a second {@code trm train} on the folder is refused.
 */
final class RunFolder implements AutoCloseable {
    static final String LOCK = ".trm-train.lock";
    /** Every file a run (and {@code trm plot}'s default output) writes into its folder. */
    static final Set<String> RUN_FILES = Set.of(RunState.LAST, RunState.MODEL, MetricsLog.FILE, LOCK,
            "training.png", "config.json", "best.safetensors");

    private final FileChannel channel;
    private final FileLock lock;

    private RunFolder(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Refuses {@code out} for a new run unless it is empty, holds a run without training, or {@code force} replaces a run. */
    static void checkNewRun(Path out, boolean force) {
        AtomicOutput.refuseFileAncestor(out);
        if (!Files.isDirectory(out)) {
            if (Files.exists(out)) throw new InputException(out + ": exists and is not a folder");
            return;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(out)) {
            entries = s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out, e);
        }
        for (Path p : entries) {
            if (!isRunFile(p.getFileName().toString()))
                throw new InputException(out + ": holds " + p.getFileName() + ", which trm train did not write; choose another run folder"
                        + " (trm never deletes files it did not write)");
        }
        if (!force && trainedSteps(out) > 0)
            throw new InputException(out + ": run folder is not empty (pass --resume " + out + " to continue it, or --force to start over)");
    }

    /** The step of the folder's checkpoint, 0 when it has none (a run killed before its first one). */
    static long trainedSteps(Path dir) {
        Path last = dir.resolve(RunState.LAST);
        if (!Files.exists(last)) return 0;
        String step = Safetensors.readHeader(last).metadata().get(Checkpoint.STEP);
        try {
            return step == null ? 1 : Long.parseLong(step);
        } catch (NumberFormatException e) {
            return 1; // unreadable: treat as trained, so that nothing is replaced without --force
        }
    }

    /** Deletes the run files of an earlier run (never the lock, which this process holds). */
    static void clearRunFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.equals(LOCK) && isRunFile(n)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the run files of " + dir, e);
        }
    }

    private static boolean isRunFile(String name) {
        if (RUN_FILES.contains(name)) return true;
        for (String f : RUN_FILES) if (name.startsWith("." + f + ".tmp-")) return true; // left by a killed writer
        return false;
    }

    /** Creates {@code dir} if needed and locks it for this process; refused when another run holds it. */
    static RunFolder lock(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            }
            if (lock == null) {
                ch.close();
                throw new InputException(dir + ": another trm train is running in this run folder (it holds " + dir.resolve(LOCK)
                        + "); wait for it to end or stop it");
            }
            return new RunFolder(ch, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve(LOCK), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the run folder lock", e);
        }
    }
}

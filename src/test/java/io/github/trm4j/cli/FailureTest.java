package io.github.trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Every failure that reaches a command's edge becomes one line and the right exit code. */
class FailureTest {

    private static void assertFailure(String message, int code, Throwable e) {
        assertEquals(new Failure(message, code), Failure.of(e));
    }

    @Test
    void inputErrorsExitWithTwoWhereverTheyAreWrapped() {
        assertFailure("a.csv:3: bad", 2, new InputException("a.csv:3: bad"));
        assertFailure("a.csv:3: bad", 2, new RuntimeException("wrapper", new InputException("a.csv:3: bad")));
    }

    @Test
    void diskFullNamesTheFileAndTheCause() {
        IOException enospc = new IOException("No space left on device");
        assertFailure("cannot write runs/x/last.safetensors: No space left on device", 1,
                new UncheckedIOException("cannot write runs/x/last.safetensors", enospc));
        assertFailure("cannot write d/train/all__inputs.npy: No space left on device", 1,
                new UncheckedIOException("cannot write d/train/all__inputs.npy: No space left on device", enospc));
        assertFailure("cannot move a to b: Read-only file system", 1,
                new UncheckedIOException("cannot move a to b", new FileSystemException("a", null, "Read-only file system")));
    }

    @Test
    void permissionIsTheEnvironmentAndAWrongPathIsTheUser() {
        assertFailure("cannot create out: permission denied", 1, new UncheckedIOException("cannot create out", new AccessDeniedException("out")));
        assertFailure("cannot read x: no such file or folder", 2, new UncheckedIOException("cannot read x", new NoSuchFileException("x")));
        assertFailure("cannot read dir: Is a directory", 2, new UncheckedIOException("cannot read dir", new IOException("Is a directory")));
        assertFailure("cannot read dir: dir (Is a directory)", 2, new UncheckedIOException("cannot read dir", new java.io.FileNotFoundException("dir (Is a directory)")));
        assertFailure("out: permission denied", 1, new AccessDeniedException("out"));
        assertFailure("cannot read a.csv: not UTF-8 text", 2, new UncheckedIOException("cannot read a.csv", new MalformedInputException(1)));
    }

    @Test
    void serverStartUpFailuresAreOneLine() {
        assertFailure("Address already in use (choose another --port or --host)", 1,
                new RuntimeException("Port 8080 is already in use. Make sure no other process is using port 8080 and try again.",
                        new BindException("Address already in use")));
        assertFailure("cannot listen on 127.0.0.1:8080: Address already in use (choose another --port or --host)", 1,
                new UncheckedIOException("cannot listen on 127.0.0.1:8080", new BindException("Address already in use")));
        assertFailure("cannot resolve the host address (check --host)", 2, new RuntimeException("x", new UnresolvedAddressException()));
    }

    @Test
    void outOfMemoryAndBugsAreOneLineWithoutATrace() {
        assertFailure("out of memory (Java heap); give the JVM more, e.g. TRM_JAVA_OPTS=-Xmx8g, or use a smaller batch", 1,
                new OutOfMemoryError("Java heap space"));
        assertFailure("out of memory: [enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: you tried to allocate"
                + " 8589934592 bytes. (use a smaller batch or model)", 1,
                new RuntimeException("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: you tried to allocate"
                        + " 8589934592 bytes.\nException raised from ..."));
        assertFailure("internal error: java.lang.IllegalStateException: oops? (rerun with --debug for the stack trace)", 1,
                new IllegalStateException("oops\u001b\nmore"));
    }
}

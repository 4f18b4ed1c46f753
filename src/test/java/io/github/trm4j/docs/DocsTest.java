package io.github.trm4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shell block of README.md, docs/*.md and models/*&#47;MODEL.md marked {@code <!-- runnable -->}
 * runs, in page order, in a fresh copy of the repository's tracked files with {@code ../shared}
 * beside it, and must exit 0. TRM_DOCS_SCALE=small (the default) scales long commands down;
 * full runs them as written; TRM_DOCS_PAGES=README.md,docs/eval.md runs only those pages. See
 * docs/contributing-docs.md.
 */
class DocsTest {
    /** Longest a single block may take before the test fails. */
    private static final long BLOCK_TIMEOUT_MINUTES = 15;
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TestFactory
    Stream<DynamicTest> runnableBlocksRunAsWritten() throws IOException {
        String scale = RunnableBlocks.scaleFromEnvironment();
        String only = System.getenv("TRM_DOCS_PAGES");
        return pages().stream()
                .filter(p -> !blocks(p).isEmpty())
                .filter(p -> only == null || only.isBlank() || List.of(only.split(",")).contains(REPO.relativize(p).toString()))
                .map(p -> DynamicTest.dynamicTest(REPO.relativize(p).toString(), () -> runPage(p, scale)));
    }

    @Test
    void theMainPagesHaveRunnableBlocks() throws IOException {
        for (String page : List.of("README.md", "docs/eval.md", "docs/training.md", "docs/sudoku.md", "docs/solve.md"))
            assertFalse(blocks(REPO.resolve(page)).isEmpty(), page + " has no runnable block");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        try (Stream<Path> models = Files.walk(REPO.resolve("models"), 2)) {
            models.filter(p -> p.getFileName().toString().equals("MODEL.md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static List<RunnableBlocks.Block> blocks(Path page) {
        try {
            return RunnableBlocks.of(REPO.relativize(page), Files.readString(page));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void runPage(Path page, String scale) throws Exception {
        Path shared = sharedFolder();
        Path parent = Files.createTempDirectory("trm4j-docs-");
        try {
            Path clone = copyTrackedFiles(parent.resolve("trm4j"));
            Files.createSymbolicLink(parent.resolve("shared"), shared);
            Path logs = REPO.resolve("target/docs-test");
            Files.createDirectories(logs);
            for (RunnableBlocks.Block b : blocks(page)) {
                String script = RunnableBlocks.scaled(b.text(), scale);
                Path log = logs.resolve(b.where().replaceAll("[^A-Za-z0-9.-]", "_") + ".log");
                int code = run(clone, script, log);
                if (code != 0) {
                    List<String> lines = Files.readAllLines(log);
                    fail(b.where() + ": exit code " + code + " (log " + log + "); script:\n" + script + "\nlast output:\n"
                            + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            }
        } finally {
            deleteTree(parent);
        }
    }

    private static int run(Path clone, String script, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-xc", script).directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(BLOCK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** TRM_SHARED, else ../shared of this checkout (CI has /work/shared there). */
    private static Path sharedFolder() throws IOException {
        String env = System.getenv("TRM_SHARED");
        Path shared = env != null && !env.isBlank() ? Path.of(env) : REPO.resolveSibling("shared");
        assertTrue(Files.isDirectory(shared.resolve("data")),
                "the docs use ../shared/data; none at " + shared + " (set TRM_SHARED to the shared folder)");
        return shared.toRealPath();
    }

    /**
     * The tracked files of the working tree (uncommitted edits included), and a launcher-ready
     * target/trm4j.jar whose manifest points at the classes and jars this test runs on, so
     * {@code ./trm} in the copy needs no Maven build.
     */
    private static Path copyTrackedFiles(Path clone) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(REPO.toFile()).redirectErrorStream(false).start();
        String files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), "git ls-files failed in " + REPO);
        for (String f : files.split("\0")) {
            if (f.isEmpty() || !Files.exists(REPO.resolve(f))) continue;
            Path to = clone.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(REPO.resolve(f), to);
        }
        Path target = clone.resolve("target");
        Files.createDirectories(target.resolve("lib"));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.github.trm4j.cli.Main");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes"))
                .map(e -> Path.of(e).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" ")));
        Path jar = target.resolve("trm4j.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            j.flush();
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        return clone;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

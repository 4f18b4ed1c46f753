package io.github.trm4j.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks of a Markdown page marked {@code <!-- runnable -->} on the line before their
 * fence, and the small-scale rewrite of their commands (docs/contributing-docs.md).
 */
final class RunnableBlocks {
    static final String MARKER = "<!-- runnable -->";
    private static final Pattern FENCE = Pattern.compile("^```\\s*(\\S*)");

    /** A block: its page, the line of its opening fence (1-based) and its text. */
    record Block(Path page, int line, String text) {
        String where() {
            return page + ":" + line;
        }
    }

    private RunnableBlocks() {}

    /** Every marked block of {@code markdown}; a marker before anything but a bash/sh fence is an error. */
    static List<Block> of(Path page, String markdown) {
        String[] lines = markdown.split("\n", -1);
        List<Block> blocks = new ArrayList<>();
        boolean inFence = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            Matcher fence = FENCE.matcher(l);
            if (inFence) {
                if (l.equals("```")) inFence = false;
                continue;
            }
            if (fence.find()) {
                inFence = true;
                continue;
            }
            if (!l.equals(MARKER)) continue;
            Matcher next = i + 1 < lines.length ? FENCE.matcher(lines[i + 1].strip()) : null;
            if (next == null || !next.find() || !List.of("bash", "sh", "shell").contains(next.group(1)))
                throw new IllegalArgumentException(page + ":" + (i + 1) + ": " + MARKER + " must be on the line just before a ```bash fence");
            StringBuilder text = new StringBuilder();
            int j = i + 2;
            for (; j < lines.length && !lines[j].strip().equals("```"); j++) text.append(lines[j]).append('\n');
            if (j == lines.length) throw new IllegalArgumentException(page + ":" + (i + 2) + ": unclosed code block");
            blocks.add(new Block(page, i + 2, text.toString()));
            i = j;
        }
        return blocks;
    }

    /** Caps applied by TRM_DOCS_SCALE=small: option → largest value kept. */
    static final Map<String, Long> SMALL_CAPS = Map.of(
            "--augment", 2L, "--count", 20L, "--eval-limit", 8L, "--limit", 8L, "--subsample", 200L);
    /** Small scale gives {@code trm eval} lines without a --limit this one. */
    static final long SMALL_EVAL_LIMIT = 8;
    private static final Pattern NUMERIC_OPTION = Pattern.compile("(--[a-z-]+)([ =])(\\d+)\\b");

    /**
     * The block as run at {@code scale}: "full" leaves it as written; "small" caps the options of
     * {@link #SMALL_CAPS}, turns {@code --max-steps N} into max(1, min(N/100, 10)) and adds
     * {@code --limit 8} to a {@code trm eval} without one.
     */
    static String scaled(String block, String scale) {
        if (scale.equals("full")) return block;
        if (!scale.equals("small")) throw new IllegalArgumentException("TRM_DOCS_SCALE: expected small or full, got '" + scale + "'");
        StringBuilder out = new StringBuilder();
        for (String command : block.replace("\\\n", " ").split("\n")) {
            Matcher m = NUMERIC_OPTION.matcher(command);
            StringBuilder line = new StringBuilder();
            while (m.find()) {
                long v = Long.parseLong(m.group(3));
                Long cap = SMALL_CAPS.get(m.group(1));
                if (m.group(1).equals("--max-steps")) v = Math.max(1, Math.min(v / 100, 10));
                else if (cap != null) v = Math.min(v, cap);
                m.appendReplacement(line, Matcher.quoteReplacement(m.group(1) + m.group(2) + v));
            }
            m.appendTail(line);
            String s = line.toString();
            if (s.matches("(?s).*\\btrm eval\\b.*") && !s.contains("--limit")) s = addBeforeComment(s, "--limit " + SMALL_EVAL_LIMIT);
            out.append(s).append('\n');
        }
        return out.toString();
    }

    private static String addBeforeComment(String command, String option) {
        Matcher comment = Pattern.compile("\\s+#").matcher(command);
        if (!comment.find()) return command.stripTrailing() + " " + option;
        return command.substring(0, comment.start()) + " " + option + command.substring(comment.start());
    }

    static String scaleFromEnvironment() {
        String s = System.getenv("TRM_DOCS_SCALE");
        return s == null || s.isBlank() ? "small" : s.strip().toLowerCase(Locale.ROOT);
    }
}

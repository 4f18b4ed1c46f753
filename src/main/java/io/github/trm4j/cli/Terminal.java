package io.github.trm4j.cli;

import java.nio.charset.Charset;

/** What stdout can show: colours only on a terminal without NO_COLOR, box lines when the encoding has them. */
final class Terminal {
    private Terminal() {}

    static boolean colour(boolean noColorFlag) {
        String env = System.getenv("NO_COLOR");
        return !noColorFlag && (env == null || env.isEmpty()) && System.console() != null;
    }

    /** Java 17 follows the locale: LANG=C gives ASCII. */
    static boolean unicode() {
        String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name()));
        try {
            return Charset.forName(name).newEncoder().canEncode("█░│┼─");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

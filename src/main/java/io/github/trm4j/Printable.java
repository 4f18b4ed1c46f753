package io.github.trm4j;

/**
 * Text read from a file, made safe for a terminal and for a one-line message. Control characters
 * (C0, DEL, C1), line and paragraph separators and bidirectional overrides are shown as escapes
 * ({@code \r}, {@code \n}, {@code \t}, {@code \u001b}), so a name inside a checkpoint or a CSV can
 * neither move the cursor, colour the terminal, reorder the line nor end it. Printable characters,
 * backslashes included, are left alone, so escaping twice changes nothing.
 */
public final class Printable {
    /** Longest quoted value; longer ones are cut, with their length shown. */
    static final int MAX_QUOTED = 120;

    private Printable() {}

    /** {@code s} with every control character escaped; null stays null. */
    public static String of(String s) {
        if (s == null) return null;
        int i = 0;
        while (i < s.length() && !isControl(s.charAt(i))) i++;
        if (i == s.length()) return s;
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isControl(c)) out.append(c);
            else if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c == '\t') out.append("\\t");
            else out.append(String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    /**
     * A value from a file for a message: escaped, in single quotes, and cut to
     * {@value #MAX_QUOTED} characters (a cut value ends in {@code ...} and states its length).
     */
    public static String quote(String s) {
        if (s == null) return "null";
        String cut = s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "...(" + s.length() + " chars)";
        return "'" + of(cut) + "'";
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f'
                || c == '\u061c';
    }
}

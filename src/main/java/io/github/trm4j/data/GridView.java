package io.github.trm4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Draws grids for the terminal, one {@link Panel} per grid and panels side by side. Every cell is
 * two columns wide so that squares look square. Colour is ANSI (truecolor or the 256-colour
 * palette) or none; without colour every style still reads in plain text.
 */
final class GridView {
    /** How a panel's values are meant. */
    enum Style {
        /** Digits 0..9, 0 = blank; 9×9 with box separators. */
        SUDOKU("sudoku"),
        /** {@link MazeCell} tokens; 0 (PAD) drawn as '?'. */
        MAZE("maze"),
        /** ARC colours 0..9. */
        ARC("ARC"),
        /** Raw token numbers. */
        TOKENS("token");

        private final String kind;

        Style(String kind) {
            this.kind = kind;
        }

        /** The puzzle kind as the summary line names it. */
        String kind() {
            return kind;
        }
    }

    /**
     * One grid with a caption. {@code given} (may be null) is the matching input grid: a Sudoku
     * solution marks the digits that were blanks there.
     */
    record Panel(String caption, int[][] rows, Style style, int[][] given) {}

    // Standard ARC palette: black, blue, red, green, yellow, grey, fuchsia, orange, teal, maroon.
    private static final int[] ARC_RGB = {0x000000, 0x0074D9, 0xFF4136, 0x2ECC40, 0xFFDC00, 0xAAAAAA, 0xF012BE, 0xFF851B, 0x7FDBFF, 0x870C25};
    private static final int[] ARC_256 = {16, 26, 203, 41, 220, 248, 200, 208, 117, 88};
    private static final String RESET = "\033[0m";
    private static final String GAP = "   ";

    private final DataShow.Color color;
    private final boolean unicode;

    /** {@code unicode} false draws with ASCII only (for a terminal that cannot show blocks). */
    GridView(DataShow.Color color, boolean unicode) {
        this.color = color;
        this.unicode = unicode;
    }

    /** The panels side by side, caption line first, each padded to its own width. */
    List<String> render(List<Panel> panels) {
        List<List<String>> drawn = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        int height = 0;
        for (Panel p : panels) {
            List<String> lines = new ArrayList<>();
            lines.add(p.caption());
            int width = draw(p, lines);
            width = Math.max(width, p.caption().length());
            drawn.add(lines);
            widths.add(width);
            height = Math.max(height, lines.size());
        }
        List<String> out = new ArrayList<>(height);
        for (int i = 0; i < height; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < drawn.size(); k++) {
                List<String> lines = drawn.get(k);
                String line = i < lines.size() ? lines.get(i) : "";
                sb.append(line);
                if (k < drawn.size() - 1) sb.append(" ".repeat(Math.max(0, widths.get(k) - visibleWidth(line)))).append(GAP);
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }

    /** Appends the grid's lines; returns their visible width. */
    private int draw(Panel p, List<String> lines) {
        int[][] rows = p.rows();
        if (rows.length == 0) {
            lines.add("(empty)");
            return 7;
        }
        return switch (p.style()) {
            case SUDOKU -> drawSudoku(p, lines);
            case MAZE -> drawCells(rows, lines, this::mazeCell);
            case ARC -> drawCells(rows, lines, this::arcCell);
            case TOKENS -> drawTokens(rows, lines);
        };
    }

    private static int drawCells(int[][] rows, List<String> lines, IntFunction<String> painter) {
        for (int[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int v : row) sb.append(painter.apply(v));
            lines.add(sb.toString());
        }
        return 2 * rows[0].length;
    }

    private String mazeCell(int token) {
        MazeCell cell = MazeCell.ofToken(token);
        if (cell == null) return "??";
        return switch (cell) {
            case WALL -> unicode ? "██" : "##";
            case OPEN -> "  ";
            case START -> paint("S ", 0x2ECC40, 41, true);
            case GOAL -> paint("G ", 0xFF4136, 203, true);
            case PATH -> color != DataShow.Color.NONE ? paint("  ", 0xFFDC00, 220, false) : unicode ? "░░" : "o ";
        };
    }

    private String arcCell(int colour) {
        if (colour < 0 || colour > 9) return "??";
        if (color == DataShow.Color.NONE) return colour + " ";
        return background(ARC_RGB[colour], ARC_256[colour]) + "  " + RESET;
    }

    /** Text on a coloured background (S, G, path); bold black text so it reads on any colour. */
    private String paint(String text, int rgb, int ansi256, boolean bold) {
        if (color == DataShow.Color.NONE) return text;
        return background(rgb, ansi256) + (bold ? "\033[1;30m" : "") + text + RESET;
    }

    private String background(int rgb, int ansi256) {
        return color == DataShow.Color.TRUECOLOR
                ? "\033[48;2;" + (rgb >> 16) + ";" + (rgb >> 8 & 0xFF) + ";" + (rgb & 0xFF) + "m"
                : "\033[48;5;" + ansi256 + "m";
    }

    /** 9×9 board with box separators; blanks '.', filled-in digits of a solution highlighted. */
    private int drawSudoku(Panel p, List<String> lines) {
        int[][] rows = p.rows();
        int n = rows.length, box = (int) Math.round(Math.sqrt(n));
        if (box * box != n || rows[0].length != n) return drawTokens(rows, lines);
        for (int r = 0; r < n; r++) {
            if (r > 0 && r % box == 0) lines.add(separator(box, unicode));
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < n; c++) {
                if (c > 0 && c % box == 0) sb.append(unicode ? "│ " : "| ");
                int v = rows[r][c];
                String digit = v == 0 ? "." : Integer.toString(v);
                boolean filled = p.given() != null && p.given()[r][c] == 0 && v != 0;
                sb.append(filled && color != DataShow.Color.NONE ? "\033[1;36m" + digit + RESET : digit).append(' ');
            }
            lines.add(sb.toString().stripTrailing());
        }
        return 2 * n + 2 * (box - 1) - 1;
    }

    private static String separator(int box, boolean unicode) {
        List<String> parts = new ArrayList<>();
        // Boxes read "d d d " then "│ d d d " ...: the outer segments are 2·box wide, inner ones 2·box + 1.
        for (int b = 0; b < box; b++) parts.add((unicode ? "─" : "-").repeat(b == 0 || b == box - 1 ? 2 * box : 2 * box + 1));
        return String.join(unicode ? "┼" : "+", parts);
    }

    private static int drawTokens(int[][] rows, List<String> lines) {
        int digits = 1;
        for (int[] row : rows) for (int v : row) digits = Math.max(digits, Integer.toString(v).length());
        for (int[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int v : row) sb.append(String.format("%" + digits + "d ", v));
            lines.add(sb.toString().stripTrailing());
        }
        return (digits + 1) * rows[0].length - 1;
    }

    /** Columns a line takes on screen: ANSI escapes take none, box drawing and blocks one each. */
    static int visibleWidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\033') {
                while (i < s.length() && s.charAt(i) != 'm') i++;
            } else {
                w++;
            }
        }
        return w;
    }
}

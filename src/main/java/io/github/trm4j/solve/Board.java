package io.github.trm4j.solve;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws Sudoku and maze grids for the terminal in the style of {@code trm data show}, with some
 * cells marked (changed by a step, or wrong). With colour, marked cells get a yellow background and
 * a Sudoku's filled-in digits are cyan; without colour a marked Sudoku cell reads {@code [5]} and a
 * marked maze cell carries a {@code *}, so plain text keeps every mark.
 */
final class Board {
    /** How to draw: ANSI colours (256-colour palette) or none; box-drawing and block characters or ASCII. */
    record Style(boolean colour, boolean unicode) {
        static final Style PLAIN = new Style(false, false);
    }

    private static final String RESET = "\033[0m";
    private static final String MARK = "\033[1;30;48;5;220m";
    private static final String FILLED = "\033[1;36m";
    private static final String GAP = "   ";

    private Board() {}

    /**
     * A 9×9 board, 3 columns a cell (29 wide). {@code grid} and {@code givens} are 81 digits,
     * 0 blank (drawn '.'); {@code givens} may be null; cells in {@code marked} are highlighted.
     */
    static List<String> sudoku(String grid, String givens, int[] marked, Style style) {
        boolean[] mark = mask(marked, 81);
        List<String> lines = new ArrayList<>(11);
        for (int r = 0; r < 9; r++) {
            if (r == 3 || r == 6) lines.add(style.unicode() ? "─────────┼─────────┼─────────" : "---------+---------+---------");
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 9; c++) {
                if (c == 3 || c == 6) sb.append(style.unicode() ? "│" : "|");
                int i = r * 9 + c;
                char d = grid.charAt(i) == '0' ? '.' : grid.charAt(i);
                boolean filled = givens != null && givens.charAt(i) == '0' && d != '.';
                if (mark[i]) sb.append(style.colour() ? MARK + " " + d + " " + RESET : "[" + d + "]");
                else if (filled && style.colour()) sb.append(' ').append(FILLED).append(d).append(RESET).append(' ');
                else sb.append(' ').append(d).append(' ');
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** A square maze over "# SGo?", 2 columns a cell; cells in {@code marked} are highlighted. */
    static List<String> maze(String grid, int[] marked, Style style) {
        int side = (int) Math.round(Math.sqrt(grid.length()));
        boolean[] mark = mask(marked, grid.length());
        List<String> lines = new ArrayList<>(side);
        for (int r = 0; r < side; r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < side; c++) {
                int i = r * side + c;
                char ch = grid.charAt(i);
                String cell = switch (ch) {
                    case '#' -> style.unicode() ? "██" : "##";
                    case ' ' -> "  ";
                    case 'o' -> style.colour() ? "\033[48;5;220m  " + RESET : style.unicode() ? "░░" : "o ";
                    case 'S' -> style.colour() ? "\033[1;30;48;5;41mS " + RESET : "S ";
                    case 'G' -> style.colour() ? "\033[1;30;48;5;203mG " + RESET : "G ";
                    default -> "??";
                };
                if (mark[i]) cell = style.colour() ? "\033[1;30;48;5;208m" + (ch == '#' ? "##" : ch + " ") + RESET : cell.charAt(0) + "*";
                sb.append(cell);
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** Panels side by side under their captions, {@code perRow} panels a row, rows separated by a blank line. */
    static List<String> sideBySide(List<String> captions, List<List<String>> panels, int perRow) {
        List<String> out = new ArrayList<>();
        for (int first = 0; first < panels.size(); first += perRow) {
            if (first > 0) out.add("");
            int last = Math.min(panels.size(), first + perRow);
            int width = 0, height = 0;
            for (int k = first; k < last; k++) {
                width = Math.max(width, captions.get(k).length());
                for (String line : panels.get(k)) width = Math.max(width, visibleWidth(line));
                height = Math.max(height, panels.get(k).size());
            }
            for (int i = -1; i < height; i++) {
                StringBuilder sb = new StringBuilder();
                for (int k = first; k < last; k++) {
                    List<String> p = panels.get(k);
                    String line = i < 0 ? captions.get(k) : i < p.size() ? p.get(i) : "";
                    sb.append(line);
                    if (k < last - 1) sb.append(" ".repeat(width - visibleWidth(line))).append(GAP);
                }
                out.add(sb.toString().stripTrailing());
            }
        }
        return out;
    }

    /** Columns a line takes on screen: ANSI escapes take none. */
    static int visibleWidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\033') {
                while (i < s.length() && s.charAt(i) != 'm') i++;
            } else {
                w++;
            }
        }
        return w;
    }

    private static boolean[] mask(int[] cells, int n) {
        boolean[] m = new boolean[n];
        if (cells != null) for (int c : cells) m[c] = true;
        return m;
    }
}

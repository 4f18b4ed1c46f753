package io.github.trm4j.solve;

import io.github.trm4j.data.Maze;
import io.github.trm4j.data.MazeCell;
import io.github.trm4j.data.MazeSolver;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;

/**
 * Rule checks of an answer, independent of the model. Rows and columns are 1-based in the details.
 */
final class Checks {
    private Checks() {}

    /** Whether answer tokens pass the rule check of {@code kind} for question tokens; false for kinds without rules. */
    static boolean valid(PuzzleKind kind, int[] question, int[] answer) {
        return switch (kind) {
            case SUDOKU -> sudoku(PuzzleText.sudokuOf(question), PuzzleText.sudokuOf(answer)).valid();
            case MAZE -> maze(PuzzleText.mazeOf(question), PuzzleText.mazeOf(answer)).valid();
            default -> false;
        };
    }

    /**
     * A Sudoku answer (81 digits, 0 = blank) against its puzzle (81 digits, 0 = blank): every cell
     * filled, every given kept, no digit twice in a row, column or box.
     */
    static Check sudoku(String puzzle, String answer) {
        int givens = 0;
        for (int i = 0; i < 81; i++) {
            char a = answer.charAt(i), q = puzzle.charAt(i);
            if (a < '1' || a > '9') return new Check(false, at(i, 9) + " is blank");
            if (q != '0') {
                givens++;
                if (q != a) return new Check(false, "given " + q + " at " + at(i, 9) + " became " + a);
            }
        }
        Optional<String> conflict = sudokuConflict(answer);
        if (conflict.isPresent()) return new Check(false, conflict.get());
        return new Check(true, "rules ok, agrees with " + givens + " givens");
    }

    /** The first digit that appears twice in a unit (blanks '0' ignored), e.g. "row 3 has two 7s". */
    static Optional<String> sudokuConflict(String digits) {
        String[] unitNames = {"row", "column", "box"};
        for (int kind = 0; kind < 3; kind++) {
            for (int u = 0; u < 9; u++) {
                int seen = 0;
                for (int k = 0; k < 9; k++) {
                    int cell = switch (kind) {
                        case 0 -> u * 9 + k;
                        case 1 -> k * 9 + u;
                        default -> (u / 3 * 3 + k / 3) * 9 + u % 3 * 3 + k % 3;
                    };
                    int d = digits.charAt(cell) - '0';
                    if (d < 1 || d > 9) continue;
                    if ((seen & 1 << d) != 0) return Optional.of(unitNames[kind] + " " + (u + 1) + " has two " + d + "s");
                    seen |= 1 << d;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A maze answer against its question (same side): only open cells may become 'o', and the 'o'
     * cells must form one connected path from S to G with none left over. Says where a path breaks,
     * and whether a valid path is a shortest one.
     */
    static Check maze(String question, String answer) {
        int n = question.length(), side = (int) Math.round(Math.sqrt(n));
        int paths = 0;
        for (int i = 0; i < n; i++) {
            char q = question.charAt(i), a = answer.charAt(i);
            if (a == 'o') paths++;
            if (a == q || (q == ' ' && a == 'o')) continue;
            return new Check(false, at(i, side) + ": " + name(q) + " became " + name(a));
        }
        int start = question.indexOf('S'), goal = question.indexOf('G');
        // BFS from S through 'o' cells only; G ends it.
        int[] dist = new int[n];
        Arrays.fill(dist, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        dist[start] = 0;
        queue.add(start);
        int farthest = start;
        while (!queue.isEmpty()) {
            int u = queue.poll();
            if (u == goal) break;
            if (u != start && dist[u] > dist[farthest]) farthest = u;
            for (int v : neighbours(u, side)) {
                if (v < 0 || dist[v] >= 0) continue;
                char a = answer.charAt(v);
                if (a != 'o' && a != 'G') continue;
                dist[v] = dist[u] + 1;
                queue.add(v);
            }
        }
        if (dist[goal] < 0) {
            if (farthest == start) return new Check(false, "no path cell 'o' next to S at " + at(start, side));
            return new Check(false, "the path from S breaks after " + at(farthest, side) + " (" + dist[farthest]
                    + " cells from S); G at " + at(goal, side) + " is not reached");
        }
        int onPath = dist[goal] - 1;
        if (paths > onPath) {
            return new Check(false, "a path of " + onPath + " cells connects S to G, but " + (paths - onPath)
                    + " more cells 'o' are off it (first at " + at(firstOff(answer, dist, goal, side), side) + ")");
        }
        int shortest = MazeSolver.solve(Maze.of(Maze.parseGrid(question, "question"))).orElseThrow().moves() - 1;
        String how = onPath == shortest ? "a shortest path" : (onPath - shortest) + " cells longer than the shortest (" + shortest + ")";
        return new Check(true, "path of " + onPath + " cells connects S to G, " + how);
    }

    /** The first 'o' cell not on the S-G path found by walking back from G. */
    private static int firstOff(String answer, int[] dist, int goal, int side) {
        boolean[] on = new boolean[answer.length()];
        for (int at = goal; dist[at] > 0; ) {
            on[at] = true;
            int next = -1;
            for (int v : neighbours(at, side)) if (v >= 0 && dist[v] == dist[at] - 1) next = v;
            at = next;
        }
        for (int i = 0; i < answer.length(); i++) if (answer.charAt(i) == 'o' && !on[i]) return i;
        return goal;
    }

    private static int[] neighbours(int u, int side) {
        int r = u / side, c = u % side;
        return new int[] {r > 0 ? u - side : -1, r < side - 1 ? u + side : -1, c > 0 ? u - 1 : -1, c < side - 1 ? u + 1 : -1};
    }

    private static String name(char ch) {
        MazeCell c = MazeCell.ofSymbol(ch);
        if (c == null) return "'" + ch + "' (no cell)";
        return switch (c) {
            case WALL -> "wall '#'";
            case OPEN -> "open ' '";
            case START -> "start 'S'";
            case GOAL -> "goal 'G'";
            case PATH -> "path 'o'";
        };
    }

    /** "row r, column c", 1-based. */
    static String at(int cell, int side) {
        return "row " + (cell / side + 1) + ", column " + (cell % side + 1);
    }
}

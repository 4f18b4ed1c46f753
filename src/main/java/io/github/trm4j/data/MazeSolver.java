package io.github.trm4j.data;

import java.util.Arrays;
import java.util.Optional;

/**
 * Breadth-first search on a maze: the shortest path from {@code S} to {@code G} (4-neighbour moves,
 * walls blocked) and whether it is the only shortest path. The answer grid marks exactly the cells
 * strictly between S and G on that path with {@code o}.
 */
public final class MazeSolver {
    private MazeSolver() {}

    /**
     * A shortest path. {@code path} holds row-major cell indices from S to G inclusive, so it has
     * {@code moves + 1} entries; {@code unique} is false when another path of the same length exists.
     */
    public record Solution(int moves, boolean unique, int[] path, Grid answer) {}

    /** Distances (-1 = unreachable) and shortest-path counts capped at 2, from one cell. */
    record Search(int[] dist, byte[] count) {}

    /** The shortest path of {@code maze}'s question, or empty when G cannot be reached. */
    public static Optional<Solution> solve(Maze maze) {
        Grid q = maze.question();
        int side = maze.side();
        byte[] cells = q.cells();
        Search s = search(cells, side, maze.start());
        int goal = maze.goal();
        if (s.dist[goal] < 0) return Optional.empty();
        int moves = s.dist[goal];
        int[] path = new int[moves + 1];
        path[moves] = goal;
        for (int k = moves, at = goal; k > 0; k--) {
            at = stepBack(s.dist, side, at);
            path[k - 1] = at;
        }
        for (int k = 1; k < moves; k++) cells[path[k]] = (byte) MazeCell.PATH.token();
        return Optional.of(new Solution(moves, s.count[goal] == 1, path, Grid.of(side, side, cells)));
    }

    /**
     * Checks that {@code maze}'s answer marks a shortest S-to-G path: its {@code o} cells connect S
     * to G and there are exactly as many as a shortest path has cells between them. Ties are
     * accepted (the reader takes any shortest path); {@link Solution#unique()} tells them apart.
     *
     * @throws IllegalArgumentException saying what is wrong; a maze without answer passes
     */
    public static void checkAnswer(Maze maze) {
        if (maze.answer().isEmpty()) return;
        byte[] marked = maze.answer().get().cells();
        int side = maze.side();
        int between = 0;
        for (int i = 0; i < marked.length; i++) {
            int t = marked[i];
            if (t == MazeCell.PATH.token()) between++;
            // Keep only the path, S and G passable: a search on this grid can use nothing else.
            else if (t != MazeCell.START.token() && t != MazeCell.GOAL.token()) marked[i] = (byte) MazeCell.WALL.token();
        }
        Optional<Solution> best = solve(maze);
        if (best.isEmpty()) throw new IllegalArgumentException("answer marks a path but G cannot be reached from S");
        int moves = best.get().moves();
        if (between != moves - 1)
            throw new IllegalArgumentException("answer has " + between + " path cells 'o' but the shortest path from S to G has "
                    + (moves - 1) + " (" + moves + " moves)");
        if (search(marked, side, maze.start()).dist[maze.goal()] < 0)
            throw new IllegalArgumentException("answer's path cells 'o' do not connect S to G");
    }

    /** BFS from {@code from} over every cell that is not a wall; counts of shortest paths saturate at 2. */
    static Search search(byte[] cells, int side, int from) {
        int n = side * side;
        int[] dist = new int[n];
        byte[] count = new byte[n];
        Arrays.fill(dist, -1);
        int[] queue = new int[n];
        int head = 0, tail = 0;
        dist[from] = 0;
        count[from] = 1;
        queue[tail++] = from;
        while (head < tail) {
            int u = queue[head++];
            int r = u / side, c = u % side;
            if (r > 0) tail = visit(cells, dist, count, queue, tail, u, u - side);
            if (r < side - 1) tail = visit(cells, dist, count, queue, tail, u, u + side);
            if (c > 0) tail = visit(cells, dist, count, queue, tail, u, u - 1);
            if (c < side - 1) tail = visit(cells, dist, count, queue, tail, u, u + 1);
        }
        return new Search(dist, count);
    }

    private static int visit(byte[] cells, int[] dist, byte[] count, int[] queue, int tail, int u, int v) {
        if (cells[v] == MazeCell.WALL.token()) return tail;
        if (dist[v] < 0) {
            dist[v] = dist[u] + 1;
            count[v] = count[u];
            queue[tail++] = v;
        } else if (dist[v] == dist[u] + 1) {
            count[v] = (byte) Math.min(2, count[v] + count[u]);
        }
        return tail;
    }

    /** A neighbour of {@code at} one step closer to the search origin (up, down, left, right first found). */
    private static int stepBack(int[] dist, int side, int at) {
        int d = dist[at] - 1, r = at / side, c = at % side;
        if (r > 0 && dist[at - side] == d) return at - side;
        if (r < side - 1 && dist[at + side] == d) return at + side;
        if (c > 0 && dist[at - 1] == d) return at - 1;
        return at + 1;
    }
}

package io.github.trm4j.train;

import io.github.trm4j.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manual probe for tuning the end-to-end test: java ... TinySudokuProbe tmpdir blanks args... */
public final class TinySudokuProbe {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        Path data = dir.resolve("data");
        if (!Files.exists(data)) TinySudoku.write(data, Integer.parseInt(a[2]), 200, Integer.parseInt(a[1]), 1);
        String[] rest = java.util.Arrays.copyOfRange(a, 3, a.length);
        String[] args = new String[rest.length + 4];
        args[0] = "train"; args[1] = "--data"; args[2] = data.toString(); args[3] = "--no-progress";
        System.arraycopy(rest, 0, args, 4, rest.length);
        long t = System.nanoTime();
        int code = Main.run(args);
        System.out.println("exit " + code + " in " + (System.nanoTime() - t) / 1e9 + " s");
    }
}

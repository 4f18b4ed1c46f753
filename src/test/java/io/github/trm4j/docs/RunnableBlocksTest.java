package io.github.trm4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnableBlocksTest {
    private static final Path PAGE = Path.of("docs/x.md");

    @Test
    void onlyMarkedShellBlocksAreTaken() {
        String md = "text\n```bash\n./trm a\n```\n<!-- runnable -->\n```bash\n./trm b \\\n    --x 1\n```\n"
                + "```\n<!-- runnable -->\n```\n";
        List<RunnableBlocks.Block> blocks = RunnableBlocks.of(PAGE, md);
        assertEquals(1, blocks.size());
        assertEquals(6, blocks.get(0).line());
        assertEquals("./trm b \\\n    --x 1\n", blocks.get(0).text());
    }

    @Test
    void aMarkerBeforeAnythingButAShellFenceIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> RunnableBlocks.of(PAGE, "<!-- runnable -->\n```java\nx\n```\n"));
        assertEquals("docs/x.md:1: <!-- runnable --> must be on the line just before a ```bash fence", e.getMessage());
    }

    @Test
    void smallScaleCapsLongOptionsAndFullKeepsThem() {
        String block = "./trm train --preset t --max-steps 500 \\\n    --eval-limit 200 --augment=1000\n"
                + "./trm eval --checkpoint m --data d --out e   # all puzzles\n./trm data generate sudoku --count 3 --givens 30-35\n";
        assertEquals("./trm train --preset t --max-steps 5      --eval-limit 8 --augment=2\n"
                + "./trm eval --checkpoint m --data d --out e --limit 8   # all puzzles\n"
                + "./trm data generate sudoku --count 3 --givens 30-35\n", RunnableBlocks.scaled(block, "small"));
        assertEquals(block, RunnableBlocks.scaled(block, "full"));
        assertThrows(IllegalArgumentException.class, () -> RunnableBlocks.scaled(block, "huge"));
    }
}

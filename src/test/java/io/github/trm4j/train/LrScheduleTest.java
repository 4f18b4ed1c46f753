package io.github.trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void warmUpThenConstantAsInSection11() {
        LrSchedule s = new LrSchedule(1e-4, 2000, 1.0, 65_104);
        assertEquals(5e-8, s.at(1), 1e-20);
        assertEquals(5e-5, s.at(1000), 1e-18);
        assertEquals(9.995e-5, s.at(1999), 1e-18);
        assertEquals(1e-4, s.at(2000), 0);
        assertEquals(1e-4, s.at(65_104), 0);
    }

    @Test
    void cosineDecaysToTheMinimumRatio() {
        LrSchedule s = new LrSchedule(1.0, 10, 0.1, 110);
        assertEquals(1.0, s.at(10), 1e-15);
        assertEquals(0.1 + 0.9 * 0.5, s.at(60), 1e-15); // half way: cos(π/2) = 0
        assertEquals(0.1, s.at(110), 1e-15);
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 1.5)), s.at(160), 1e-15); // the official formula past the end
    }

    @Test
    void noWarmUpStartsAtTheBase() {
        assertEquals(3e-4, new LrSchedule(3e-4, 0, 1.0, 10).at(1), 0);
    }
}

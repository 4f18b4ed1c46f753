package io.github.trm4j.solve;

/**
 * The model's answer after one supervision step.
 *
 * @param step 1-based supervision step
 * @param grid the predicted grid in the input's alphabet (Sudoku: 81 digits; maze: "# SGo")
 * @param qHalt the halting logit at this step (confidence is its sigmoid)
 * @param changed row-major cell indices that differ from the previous step's grid (step 1: from the input)
 */
public record StepView(int step, String grid, double qHalt, int[] changed) {}

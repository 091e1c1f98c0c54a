package dev.wengert.examples.rnn;

import dev.wengert.core.Tape;
import dev.wengert.core.Tensor;
import dev.wengert.rnn.LstmCell;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Experiment 1: the scalar LSTM of sheet 004, question 2, with the sheet's weights, run on its two input
 * sequences: the table of h_t (2a), with h_t rounded to the nearest integer at every step as the sheet
 * suggests and without rounding, and the negated variant (2c).
 *
 * <p>The sheet's parameter list names {@code W^{c,h}} twice; the second one ({@code = 0}) is
 * {@code W^{i,h}}. So: {@code W^{f,h} = 0, W^{f,x} = 0, b_f = −100; W^{i,h} = 0, W^{i,x} = 100, b_i = 100;
 * W^{o,h} = 0, W^{o,x} = 100, b_o = 0; W^{c,h} = −100, W^{c,x} = 50, b_c = 0}, with {@code h_{−1} = c_{−1} = 0}.
 *
 * <p>Negating h (2c): the gates do not read h ({@code W^{g,h} = 0} for f, i, o), so it suffices to negate
 * the candidate's input weight and bias, {@code W^{c,x} = −50, b_c = 0}: then c̃, c and h change sign at
 * every step, and {@code W^{c,h} = −100} applied to the negated {@code h_{t−1}} keeps the recursion consistent.
 *
 * <p>Run (from the project root): {@code mvn -q -Pexperiment -DskipTests verify -Dexperiment=LstmSheet}.
 */
public final class LstmSheet {
    private LstmSheet() {}

    /** Input sequence 1 of the sheet. */
    public static final double[] INPUT_1 = {0, 0, 1, 1, 1, 0};
    /** Input sequence 2 of the sheet. */
    public static final double[] INPUT_2 = {1, 1, 0, 1, 1};

    /**
     * The sheet's cell (typo corrected: the second W^{c,h} is W^{i,h} = 0).
     *
     * @return a new scalar cell
     */
    public static LstmCell sheetCell() {
        //                    W_fh W_fx  b_f  W_ih W_ix  b_i  W_oh W_ox b_o  W_ch  W_cx b_c
        return LstmCell.scalar(0, 0, -100, 0, 100, 100, 0, 100, 0, -100, 50, 0);
    }

    /**
     * The cell of 2c, whose h_t are the negatives of the sheet cell's for the same 0/1 inputs.
     *
     * @return a new scalar cell
     */
    public static LstmCell negatedCell() {
        return LstmCell.scalar(0, 0, -100, 0, 100, 100, 0, 100, 0, -100, -50, 0);
    }

    /**
     * h_0, h_1, ... for the input sequence xs, from {@code h_{−1} = c_{−1} = 0}; with {@code round}, h_t is
     * rounded to the nearest integer (halves away from zero) before it is fed back, as the sheet allows.
     *
     * @param cell  a scalar cell (n = m = 1)
     * @param xs    the inputs
     * @param round whether to round h_t before feeding it back
     * @return a new array of the outputs h_t, one per input
     */
    public static double[] run(LstmCell cell, double[] xs, boolean round) {
        double[] hs = new double[xs.length];
        Tensor[] state = cell.initialState(1);
        try (var p = Tape.pause()) {
            for (int t = 0; t < xs.length; t++) {
                state = cell.step(state, Tensor.of(new double[] {xs[t]}, 1, 1));
                double h = state[0].item();
                if (round) {
                    h = Math.signum(h) * Math.floor(Math.abs(h) + 0.5) + 0.0; // + 0.0: no −0
                    state = new Tensor[] {Tensor.of(new double[] {h}, 1, 1), state[1]};
                }
                hs[t] = h;
            }
        }
        return hs;
    }

    /**
     * Prints the tables.
     *
     * @param out where to print
     */
    public static void print(PrintStream out) {
        out.println("Sheet 004, question 2: the scalar LSTM (the second W^{c,h} = 0 of the sheet is W^{i,h})");
        out.println("(a) h_t, rounded to the nearest integer at every step:");
        table(out, sheetCell(), true, "%3.0f");
        out.println("(a) h_t without rounding (tanh(1) = " + String.format(Locale.ROOT, "%.17g", StrictMath.tanh(1)) + "):");
        table(out, sheetCell(), false, "%21.17f");
        out.println("(c) negated: W^{c,x} = -50 (b_c = 0), rounded:");
        table(out, negatedCell(), true, "%3.0f");
        out.println("(c) negated, without rounding:");
        table(out, negatedCell(), false, "%21.17f");
    }

    private static void table(PrintStream out, LstmCell cell, boolean round, String fmt) {
        double[][] inputs = {INPUT_1, INPUT_2};
        for (int s = 0; s < 2; s++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  input %d %s:", s + 1,
                    java.util.Arrays.toString(inputs[s]).replace(".0", "")));
            for (double h : run(cell, inputs[s], round)) sb.append(' ').append(String.format(Locale.ROOT, fmt, h + 0.0));
            out.println(sb);
        }
    }

    /**
     * Prints the tables on standard output.
     *
     * @param args none
     */
    public static void main(String[] args) {
        print(System.out);
    }
}

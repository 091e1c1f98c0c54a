package dev.wengert.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts each round: the parameters and buffers as flat vectors, the rank ranges of the round's
 * global batches in the epoch's order (one for a synchronous step, k for k local steps), and for parameter averaging
 * the learning rate and the averaged optimiser state.
 */
record Round(double[] params, double[] buffers, int[] lo, int[] hi, double learningRate, double[] optimizerState)
        implements Serializable {}

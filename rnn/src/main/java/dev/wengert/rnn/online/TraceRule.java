package dev.wengert.rnn.online;

/**
 * How a layer's sensitivities (eligibility traces) {@code e_t = ∂s_t/∂θ} are carried from step to step,
 * for a layer whose state Jacobian {@code J_t = ∂s_t/∂s_{t−1}} is diagonal and whose immediate sensitivity
 * (the derivative of one step at fixed {@code s_{t−1}}) is {@code I_t}:
 * <ul>
 *   <li>{@link #EXACT}: {@code e_t = J_t e_{t−1} + I_t}, the RTRL recursion: exact within the layer;</li>
 *   <li>{@link #ONE_STEP}: {@code e_t = J_t I_{t−1} + I_t}: the influence of the parameters at steps t and
 *       t − 1 only, i.e. the error of step t truncated after one step back in time;</li>
 *   <li>{@link #NONE}: {@code e_t = I_t}: no temporal credit at all, only the current step's effect; with
 *       spatial backpropagation across layers this is "spatial backpropagation only".</li>
 * </ul>
 * With the layer-wise rule ({@link ElementwiseOnline}) these are familiar truncations: {@link #NONE} is
 * TBPTT(1, 1) of Williams and Peng (the loss of every step backpropagated through that step only), for one
 * layer and for a stack alike; {@link #ONE_STEP} is TBPTT(1, 2) for one layer (on a stack TBPTT(1, 2) also
 * keeps the paths through the layers above at step t − 1, which the layer-wise rule drops).
 */
public enum TraceRule {
    /** The exact RTRL recursion {@code e_t = J_t e_{t−1} + I_t}. */
    EXACT,
    /** One step of history: {@code e_t = J_t I_{t−1} + I_t}. */
    ONE_STEP,
    /** No history: {@code e_t = I_t}. */
    NONE
}

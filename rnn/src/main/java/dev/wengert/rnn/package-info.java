/**
 * Recurrent networks and their training: BPTT, truncated BPTT, exact and approximate RTRL.
 * (Arrives with its own issue.)
 */
package dev.wengert.rnn;

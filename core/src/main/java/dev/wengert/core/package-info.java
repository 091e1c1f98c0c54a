/**
 * The engine: {@link dev.wengert.core.Tensor}, the {@link dev.wengert.core.Tape} that records primitive
 * applications and replays them backwards, forward mode ({@link dev.wengert.core.ForwardMode}), the
 * {@link dev.wengert.core.Primitive} type every operation extends, anomaly mode, and gradient
 * checking ({@link dev.wengert.core.GradCheck}). It knows no particular operation: those live in the
 * {@code ops} module, which depends on this one and never the other way round.
 */
package dev.wengert.core;

/**
 * The primitive operations, each in one small class holding its shape rule, forward pass,
 * vector-Jacobian product and Jacobian-vector product, and the {@link dev.wengert.ops.Ops} facade
 * that users call.
 *
 * <h2>Conventions</h2>
 * <p>Every op's Javadoc states, for {@code y = f(x)}:
 * <ul>
 *   <li>the forward formula;</li>
 *   <li>the VJP: the input cotangents {@code ∂L/∂x_i = (∂y/∂x_i)ᵀ g} from the output cotangent {@code g};</li>
 *   <li>the JVP: the output tangent {@code t_y = Σ_i (∂y/∂x_i) t_i};</li>
 *   <li>the subgradient chosen at each kink (ReLU and |x| at 0: 0; ties in max: shared equally;
 *       clamp at its bounds: 1).</li>
 * </ul>
 *
 * <p>Names, everywhere: {@code x} inputs and {@code y} the output; {@code g} a cotangent (a gradient
 * flowing backwards); {@code t} a tangent (flowing forwards); {@code saved} what forward kept for the
 * derivative rules; {@code primal} a value as opposed to its tangent or cotangent.
 *
 * <p>Rules every op follows:
 * <ul>
 *   <li>Forward never modifies its inputs and returns a new tensor (it may share an input's data array,
 *       since data is immutable).</li>
 *   <li>Forward saves only what the rules need beyond the inputs and the output ({@code exp}'s VJP
 *       reuses y).</li>
 *   <li>The VJP returns one cotangent per input, of that input's shape, or null where
 *       {@link dev.wengert.core.Node#needsGrad} is false; the engine checks the count and the shapes.
 *       It is written with ops, so that a recorded backward pass (gradients of gradients) is exact;
 *       raw loops are allowed only for the unrecorded pass or for locally constant factors (masks).</li>
 *   <li>Broadcasting binary ops unbroadcast their cotangents with the one shared helper
 *       {@link dev.wengert.ops.Ops#sumTo}.</li>
 *   <li>Elementwise ops state their derivative once ({@code UnaryElementwise.derivative},
 *       {@code BinaryElementwise.partialA/B}) and get both rules from it; a linear op's JVP is the op
 *       applied to the tangent.</li>
 *   <li>Tangents come in batches with a leading axis k; rules lift them ({@code Tangents.lift}) before
 *       broadcasting and shift axes by one.</li>
 *   <li>Bad input throws {@link dev.wengert.core.ShapeException} (or IllegalArgumentException) whose
 *       message starts with the op's name and names the argument and the shapes or values.</li>
 * </ul>
 *
 * <h2>Numerics at the extremes</h2>
 * <ul>
 *   <li>The softmax family (logSumExp, softmax, logSoftmax, softmaxCrossEntropy) shifts each slice by
 *       its maximum in twice the working precision and never subtracts huge numbers, so values and
 *       derivatives (VJP, JVP, recorded second order) are a few ulps from exact at any magnitude, from
 *       subnormals to ±1e308. Infinite logits take the limits of the shift invariance
 *       {@code softmax(x + c) = softmax(x)}: the entries equal to the maximum share the mass equally, also
 *       when it is ±∞ ({@code softmax([∞, ∞, 0]) = [½, ½, 0]}); a -∞ entry below a finite maximum, or any
 *       entry below a +∞ one, has probability 0; a slice of -∞ is uniform (its logSumExp is -∞). NaN
 *       makes its slice NaN.</li>
 *   <li>{@code pow}: every derivative of {@code x^n} in x is exact at 0 for an integer n ≥ 0; for other
 *       exponents the derivatives at +0 are the one-sided limits; {@code ∂(a^b)/∂b} at a = 0 is 0 for
 *       b &gt; 0 and -∞ for b ≤ 0.</li>
 *   <li>{@code clamp(x, lo, hi)} is {@code min(max(x, lo), hi)} also for lo &gt; hi (every element hi,
 *       gradient 0).</li>
 * </ul>
 *
 * <h2>Adding a primitive</h2>
 * <ol>
 *   <li>Write a final class implementing {@link dev.wengert.core.Primitive} (or extending
 *       {@code UnaryElementwise}/{@code BinaryElementwise}) with the Javadoc above.</li>
 *   <li>Add a facade method to {@link dev.wengert.ops.Ops}.</li>
 *   <li>Add a row to the spec table in the tests (shapes, domain, reference forward, special values);
 *       the completeness test fails until you do.</li>
 * </ol>
 * Users who do not want to touch Wengert's source define ops with {@link dev.wengert.ops.CustomOp}.
 */
package dev.wengert.ops;

package dev.wengert.ops;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Runs every jqwik property with the seed given in the system property {@value #SEED_PROPERTY}, when
 * it is set and the property names no seed of its own. The mutation-testing profile sets it so that
 * each mutant meets the same samples on every run (jqwik has no global seed setting); without it,
 * nothing changes. Registered for all properties through META-INF/services.
 */
public final class JqwikFixedSeed implements AroundPropertyHook {
    public static final String SEED_PROPERTY = "wengert.jqwik.seed";

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return true;
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String seed = System.getProperty(SEED_PROPERTY);
        if (seed != null && !seed.isBlank() && context.attributes().seed().isEmpty()) {
            context.attributes().setSeed(seed.strip());
        }
        return property.execute();
    }
}

package dev.wengert.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-op spec table: every primitive of the ops module has at least one row. */
final class SpecTable {
    private SpecTable() {}

    static final List<OpSpec> ALL;

    static {
        List<OpSpec> all = new ArrayList<>();
        all.addAll(ElementwiseSpecs.all());
        all.addAll(ShapeSpecs.all());
        all.addAll(StructuredSpecs.all());
        ALL = Collections.unmodifiableList(all);
    }
}

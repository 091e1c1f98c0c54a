package dev.wengert.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Primitive;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No primitive escapes the spec table: every concrete class of the ops module that implements
 * {@link Primitive} (found by scanning the compiled classes, so a new op cannot be forgotten) has a row.
 */
class SpecCompletenessTest {

    static List<Class<?>> primitiveClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Ops.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replace('\\', '.'))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .collect(Collectors.toList());
        }
        List<Class<?>> out = new java.util.ArrayList<>();
        for (String n : names) {
            Class<?> c = Class.forName(n, false, Ops.class.getClassLoader());
            if (Primitive.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
                    && !c.isAnonymousClass() && !c.isSynthetic() && c != CustomOp.Built.class) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void everyPrimitiveHasASpecRow() throws Exception {
        Set<Class<?>> covered = SpecTable.ALL.stream().map(s -> (Class<?>) s.primitive).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        List<Class<?>> found = primitiveClasses();
        for (Class<?> c : found) {
            if (!covered.contains(c)) missing.add(c.getSimpleName());
        }
        assertTrue(found.size() >= 30, "the scan found only " + found.size() + " primitives: " + found);
        assertTrue(missing.isEmpty(), "primitives without a spec row: " + missing);
    }
}

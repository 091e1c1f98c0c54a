package dev.wengert.nn.plot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wengert.core.Tensor;
import dev.wengert.ops.Ops;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XChart is an optional dependency of nn: without it on the class path, nn's classes load, a Plot is
 * built, and only saving it fails, with a message that names the missing library (not a
 * NoClassDefFoundError). Run in a class loader that sees core, ops and nn but not XChart.
 */
class PlotWithoutXChartTest {

    @Test
    void savingAPlotWithoutXChartNamesTheDependency(@TempDir Path dir) throws Exception {
        URL[] own = {location(Tensor.class), location(Ops.class), location(Plot.class)};
        try (URLClassLoader loader = new URLClassLoader(own, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.knowm.xchart.XYChart"));
            Class<?> plot = loader.loadClass(Plot.class.getName());
            assertTrue(plot.getClassLoader() == loader);
            Object empty = plot.getMethod("lines", String.class, String.class, String.class).invoke(null, "loss", "epoch", "loss");
            Object p = plot.getMethod("series", String.class, double[].class).invoke(empty, "train", new double[] {3, 2, 1});
            Method save = plot.getMethod("save", Path.class);
            Path file = dir.resolve("loss.png");
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> save.invoke(p, file));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("org.knowm.xchart:xchart"), e.getCause().getMessage());
            assertFalse(Files.exists(file));
        }
    }

    private static URL location(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }
}

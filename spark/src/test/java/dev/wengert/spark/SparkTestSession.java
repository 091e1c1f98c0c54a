package dev.wengert.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The local Spark session of a test class: one per class, stopped after it (the tests' rule). */
public final class SparkTestSession {
    private SparkTestSession() {}

    /**
     * A session on {@code master} with the UI off and few shuffle partitions, so a test class starts in seconds.
     *
     * @param master e.g. {@code local[2]}, or {@code local[2,3]} for 3 attempts per task
     * @param name   the application name
     * @return the session
     */
    public static SparkSession start(String master, String name) {
        return SparkSession.builder().master(master).appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /**
     * The session's Java context.
     *
     * @param spark the session
     * @return its context
     */
    public static JavaSparkContext context(SparkSession spark) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }
}

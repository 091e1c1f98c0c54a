package dev.wengert.spark.examples;

import org.apache.spark.sql.SparkSession;

/** A session for the examples: the master given, or the one spark-submit configured. */
final class Sessions {
    private Sessions() {}

    static SparkSession start(String master, String name) {
        SparkSession.Builder b = SparkSession.builder().appName(name).config("spark.ui.enabled", "false");
        // Under spark-submit the master comes from --master; "submit" leaves it to that.
        if (!master.equals("submit")) b = b.master(master);
        return b.getOrCreate();
    }
}

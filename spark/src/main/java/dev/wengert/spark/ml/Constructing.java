package dev.wengert.spark.ml;

/**
 * Hands a uid to a Spark ML stage while its superclass constructor runs. Scala stages take the uid as a constructor
 * parameter, available before the inherited params (featuresCol, ...) are built with it; a Java subclass can only set
 * its field after {@code super()}. So the public constructor parks the uid here in an argument of {@code this(...)},
 * which Java evaluates before the superclass constructor, and {@code uid()} reads it until the field is set.
 */
final class Constructing {
    private static final ThreadLocal<String> UID = new ThreadLocal<>();

    private Constructing() {}

    static Constructing begin(String uid) {
        if (uid == null) throw new NullPointerException("wengert ml: the uid is null");
        UID.set(uid);
        return null;
    }

    static String current() {
        return UID.get();
    }

    static String end() {
        String uid = UID.get();
        UID.remove();
        return uid;
    }
}

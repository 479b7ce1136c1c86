package dev.ebb.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that access lines are formatted into, without a String or a charset encoder in
 * between. Values are escaped so that whatever a client sends (a Host, a path) stays inside its own field
 * on its own line. Not thread-safe: one event loop fills it, or the writer once it has taken it over.
 */
final class LineBytes {

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    private byte[] bytes;
    private int size;

    LineBytes(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    LineBytes append(byte b) {
        ensure(1);
        bytes[size++] = b;
        return this;
    }

    LineBytes append(byte[] raw) {
        ensure(raw.length);
        System.arraycopy(raw, 0, bytes, size, raw.length);
        size += raw.length;
        return this;
    }

    /** A non-negative number in decimal; a negative one with its sign. */
    LineBytes decimal(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return append(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            }
            append((byte) '-');
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
        return this;
    }

    /**
     * The value as it is when it is printable ASCII other than space, quote and backslash; each byte of
     * anything else (in UTF-8) as {@code \xHH}. A line break, a space or a forged {@code key=} can therefore
     * never leave the value.
     */
    LineBytes escaped(String value) {
        int length = value.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c > ' ' && c < 0x7F && c != '"' && c != '\\') {
                bytes[size++] = (byte) c;
            } else {
                i = escape(value, i);
                ensure(length - i);
            }
        }
        return this;
    }

    /** The value escaped, or a dash when there is none. */
    LineBytes valueOrDash(String value) {
        return value == null || value.isEmpty() ? append((byte) '-') : escaped(value);
    }

    /** Escapes the character at {@code index} (with its low surrogate, if any); returns the last index used. */
    private int escape(String value, int index) {
        int codePoint = value.codePointAt(index);
        if (Character.isSurrogate(value.charAt(index)) && !Character.isSupplementaryCodePoint(codePoint)) {
            codePoint = 0xFFFD; // an unpaired surrogate, as UTF-8 encoders replace it
        }
        if (codePoint < 0x80) {
            hex(codePoint);
        } else if (codePoint < 0x800) {
            hex(0xC0 | codePoint >> 6);
            hex(0x80 | codePoint & 0x3F);
        } else if (codePoint < 0x10000) {
            hex(0xE0 | codePoint >> 12);
            hex(0x80 | codePoint >> 6 & 0x3F);
            hex(0x80 | codePoint & 0x3F);
        } else {
            hex(0xF0 | codePoint >> 18);
            hex(0x80 | codePoint >> 12 & 0x3F);
            hex(0x80 | codePoint >> 6 & 0x3F);
            hex(0x80 | codePoint & 0x3F);
        }
        return Character.isSupplementaryCodePoint(codePoint) ? index + 1 : index;
    }

    private void hex(int b) {
        ensure(4);
        bytes[size++] = '\\';
        bytes[size++] = 'x';
        bytes[size++] = HEX[b >> 4 & 0xF];
        bytes[size++] = HEX[b & 0xF];
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}

package io.cdcenricher.enricher.internals;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 as RFC 3629 defines it (the well-formed byte sequences of Unicode's table 3-7). Jackson's parser
 * checks only the shape of multi-byte sequences, so it accepts overlong forms ({@code C0 80}, {@code C1 A5} for
 * {@code e}), UTF-16 surrogates ({@code ED A0 80}) and code points above U+10FFFF, and decodes an overlong form
 * as the character it stands for: {@code "cr\xC1\xA5ate"} would be read as the type {@code create} and passed on
 * as bytes no strict reader accepts.
 */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /** The offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1 if all are. */
    static int firstInvalid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            // Events are mostly ASCII: skip eight bytes at a time while none has its high bit set.
            while (i + Long.BYTES <= n && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
            }
            if (i >= n) {
                break;
            }
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            int length;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                if (b == 0xE0) {
                    min = 0xA0;
                } else if (b == 0xED) {
                    max = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                if (b == 0xF0) {
                    min = 0x90;
                } else if (b == 0xF4) {
                    max = 0x8F;
                }
            } else {
                return i;
            }
            if (i + length > n) {
                return i;
            }
            // The second byte has the tightened range; the others are plain continuation bytes.
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}

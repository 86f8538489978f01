package io.cdcenricher.ops;

import java.util.Comparator;

/**
 * A place in a MariaDB/MySQL binary log: the log file ({@code binlog.000003}) and the byte position in it. Files are
 * ordered by their numeric suffix, which the server increases on every rotation.
 */
public record BinlogPosition(String file, long position) implements Comparable<BinlogPosition> {

    private static final Comparator<BinlogPosition> ORDER = Comparator
            .comparing((BinlogPosition p) -> baseName(p.file))
            .thenComparingLong(p -> sequence(p.file))
            .thenComparingLong(BinlogPosition::position);

    @Override
    public int compareTo(BinlogPosition other) {
        return ORDER.compare(this, other);
    }

    public boolean isBefore(BinlogPosition other) {
        return compareTo(other) < 0;
    }

    /** Bytes from this position to {@code later} when both are in one file; -1 when they are in different files. */
    public long bytesTo(BinlogPosition later) {
        return file.equals(later.file) ? later.position - position : -1;
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }

    private static String baseName(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    private static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? 0 : Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

package io.cdcenricher.ops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process and its descendants listen on, read from Linux's {@code /proc}: the socket inodes
 * behind {@code /proc/<pid>/fd/*}, matched with the LISTEN rows of {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 * This sees every listener, including ones a component opens without saying so (a management port, a JMX port),
 * which a port scan of the expected ports would miss.
 */
public final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** One listening socket: the pid whose file descriptor holds it, its bound address and port. */
    public record Socket(long pid, InetAddress address, int port) {

        /** True for 127.0.0.0/8, {@code ::1} and IPv4-mapped loopback; false for the wildcard and real interfaces. */
        public boolean isLoopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port + " (pid " + pid + ")";
        }
    }

    /** The listening sockets of {@code process} and every descendant it has right now. */
    public static List<Socket> of(ProcessHandle process) {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().map(ProcessHandle::pid).forEach(pids::add);
        List<Row> listening = new ArrayList<>();
        listening.addAll(listeningRows(Path.of("/proc/net/tcp")));
        listening.addAll(listeningRows(Path.of("/proc/net/tcp6")));
        List<Socket> sockets = new ArrayList<>();
        for (long pid : pids) {
            Set<String> inodes = socketInodes(pid);
            for (Row row : listening) {
                if (inodes.contains(row.inode())) {
                    sockets.add(new Socket(pid, row.address(), row.port()));
                }
            }
        }
        return sockets;
    }

    private record Row(InetAddress address, int port, String inode) {
    }

    /** {@code socket:[12345]} targets of the pid's file descriptors; a pid that exited meanwhile has none. */
    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (NoSuchFileException e) {
                    // the descriptor was closed while we listed them
                }
            }
        } catch (NoSuchFileException e) {
            return inodes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file descriptors of pid " + pid, e);
        }
        return inodes;
    }

    /**
     * LISTEN rows of a {@code /proc/net/tcp*} table. Columns: {@code sl local_address rem_address st tx:rx tr:when
     * retrnsmt uid timeout inode ...}; the address is hex in the kernel's byte order, 32-bit words little-endian.
     */
    private static List<Row> listeningRows(Path table) {
        List<Row> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (NoSuchFileException e) {
            return rows; // no IPv6 on this kernel
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] columns = line.trim().split("\\s+");
            if (!columns[3].equals(LISTEN)) {
                continue;
            }
            String[] local = columns[1].split(":");
            rows.add(new Row(address(local[0]), Integer.parseInt(local[1], 16), columns[9]));
        }
        return rows;
    }

    static InetAddress address(String hex) {
        byte[] kernel = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[kernel.length];
        for (int word = 0; word < kernel.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = kernel[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + hex, e);
        }
    }
}

package dev.ebb.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network namespaces a test makes to stand for hosts of their own, and veth pairs joining them to each other or to the
 * root namespace (the test's own host). Every name carries this JVM's pid and a counter, so that builds running side by
 * side never meet; {@link #close()} removes everything made here and nothing else. The root namespace only gets
 * addresses on the veth ends made here: no forwarding, no sysctl. Needs root and {@code ip}.
 */
public final class NetworkNamespaces implements AutoCloseable {

    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();

    /** Why namespaces cannot be made here (not root, no {@code ip}, no permission), or empty when they can. */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("making network namespaces needs root");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            return Optional.of("making network namespaces needs the ip command (iproute2)");
        }
        String probe = "ebbprobe-" + PID + "-" + NEXT.incrementAndGet();
        Result added = run("ip", "netns", "add", probe);
        if (added.exit() != 0) {
            return Optional.of("ip netns add failed: " + added.output());
        }
        run("ip", "netns", "del", probe);
        return Optional.empty();
    }

    /**
     * A second octet for this JVM's addresses, 10.X.0.0/16, from 100 to 199: up to four test JVMs of one build (whose
     * root namespaces are one) never pick the same, as it follows their fork numbers ({@link TestFork}), and two builds
     * testing at once on one machine rarely do. Kept clear of 10.231 and 10.232, which the gateway's tests use.
     */
    public static int addressBlock() {
        return (int) (100 + PID % 25 * 4 + (TestFork.number() - 1) % 4);
    }

    /** A new namespace with its loopback up; its name. */
    public String namespace(String role) {
        String name = "ebb-" + role + "-" + PID + "-" + NEXT.incrementAndGet();
        ip("netns", "add", name);
        namespaces.add(name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** The command prefix that runs a program inside {@code namespace}. */
    public static List<String> inside(String namespace) {
        return List.of("ip", "netns", "exec", namespace);
    }

    /**
     * A veth pair from the root namespace ({@code rootAddress}) to {@code namespace} ({@code address}), both with
     * {@code prefix} bits of network, both up.
     */
    public Link toRoot(String namespace, String rootAddress, String address, int prefix) {
        Link link = pair(null, namespace);
        ip("addr", "add", rootAddress + "/" + prefix, "dev", link.endA());
        ip("link", "set", link.endA(), "up");
        ip("-n", namespace, "addr", "add", address + "/" + prefix, "dev", link.endB());
        ip("-n", namespace, "link", "set", link.endB(), "up");
        return link;
    }

    /** A veth pair between two namespaces, {@code a} at {@code addressInA} and {@code b} at {@code addressInB}, both up. */
    public Link between(String a, String addressInA, String b, String addressInB, int prefix) {
        Link link = pair(a, b);
        ip("-n", a, "addr", "add", addressInA + "/" + prefix, "dev", link.endA());
        ip("-n", b, "addr", "add", addressInB + "/" + prefix, "dev", link.endB());
        link.up();
        return link;
    }

    /** Makes a veth pair in the root namespace and moves its ends to {@code a} and {@code b} (null: the root's). */
    private Link pair(String a, String b) {
        // Interface names have at most 15 characters.
        String name = "eb" + PID + "x" + NEXT.incrementAndGet();
        Link link = new Link(a, name + "a", b, name + "b");
        ip("link", "add", link.endA(), "type", "veth", "peer", "name", link.endB());
        if (a == null) {
            rootLinks.add(link.endA());
        } else {
            ip("link", "set", link.endA(), "netns", a);
        }
        ip("link", "set", link.endB(), "netns", b);
        return link;
    }

    /**
     * One veth pair: end a in namespace {@code namespaceA} (null: the root namespace), end b in {@code namespaceB}.
     * Taking either end down cuts the link as a pulled cable would; the addresses stay.
     */
    public record Link(String namespaceA, String endA, String namespaceB, String endB) {

        /** Adds {@code address} (a single one, /32) to end a, e.g. for a process of the root namespace to listen on. */
        public void addToA(String address) {
            ip(prefixed(namespaceA, "addr", "add", address + "/32", "dev", endA));
        }

        public void down() {
            ip(prefixed(namespaceA, "link", "set", endA, "down"));
        }

        public void up() {
            ip(prefixed(namespaceA, "link", "set", endA, "up"));
            ip(prefixed(namespaceB, "link", "set", endB, "up"));
        }

        private static String[] prefixed(String namespace, String... args) {
            List<String> all = new ArrayList<>();
            if (namespace != null) {
                all.addAll(List.of("-n", namespace));
            }
            all.addAll(List.of(args));
            return all.toArray(String[]::new);
        }
    }

    /** Removes the namespaces (and the veth ends in them, whose peers go too) and the root's ends of links made here. */
    @Override
    public void close() {
        List<String> left = new ArrayList<>();
        for (String namespace : namespaces) {
            Result deleted = run("ip", "netns", "del", namespace);
            if (deleted.exit() != 0) {
                left.add(namespace + ": " + deleted.output());
            }
        }
        for (String link : rootLinks) {
            // Usually gone with its peer's namespace already; deleting it again only says so.
            run("ip", "link", "del", link);
        }
        namespaces.clear();
        rootLinks.clear();
        if (!left.isEmpty()) {
            throw new IllegalStateException("could not remove network namespaces " + left);
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result result = run(command.toArray(String[]::new));
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exit() + "): " + result.output());
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "did not finish within a minute");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}

package dev.switchboard.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private LAN behind a real NAT, and a "public" segment, built from Linux network namespaces for
 * {@link NatTraversalE2ETest}. Needs root, {@code ip} (iproute2) and {@code iptables}.
 *
 * <pre>
 *  LAN namespace              ROUTER namespace                 PUBLIC namespace
 * +------------------+      +----------------------------+      +-------------------------------+
 * | Chromium (alice) | veth | lan1 10.77.1.1             | veth | wan1 10.77.2.1                |
 * | lan0 10.77.1.2   |------| ip_forward=1               |------| Switchboard: HTTP 8080,       |
 * | default route    |      | wan0 10.77.2.2             |      |   UDP 10000, ICE-TCP 4443     |
 * |   via 10.77.1.1  |      | -t nat POSTROUTING -o wan0 |      | Chromium (bob), coturn 3478   |
 * +------------------+      |   -j MASQUERADE            |      | routes: 10.77.2.0/24 only     |
 *                           +----------------------------+      +-------------------------------+
 * </pre>
 *
 * <p>The public namespace has no route to 10.77.1.0/24: whatever is sent there fails at once with "network
 * unreachable" and never leaves the namespace. So a packet from alice's host address 10.77.1.2 can reach the
 * bridge, but nothing can come back unless the router rewrote its source to 10.77.2.2 (MASQUERADE), exactly as
 * behind a home router. Every address in play belongs to these namespaces; none of them has an interface in
 * the machine's own namespace, so the test never sends a packet anywhere else.
 *
 * <p>JUnit, chromedriver and Selenium stay in the machine's namespace and never talk to the namespaces over the
 * network: Chromium is started through a wrapper script ({@code ip netns exec NS chromium "$@"}) with
 * {@code --remote-debugging-pipe}, so chromedriver drives it over the inherited pipe file descriptors while its
 * network is the namespace's. The Switchboard server runs as a child process in the public namespace
 * ({@link NetnsServer}); the test reads its log and, through a page it serves, its {@code /api/stats}.
 *
 * <p>Namespace names carry the test JVM's pid ({@code sbnat<pid>-lan} ...). {@link #create()} first removes the
 * namespaces of earlier runs whose JVM is gone (killing the processes left in them), so a crashed run does not
 * leak them; {@link #close()} (also from a shutdown hook) removes this run's.
 */
final class NatLab implements AutoCloseable {
    static final String LAN_ADDRESS = "10.77.1.2";
    static final String ROUTER_LAN_ADDRESS = "10.77.1.1";
    static final String ROUTER_PUBLIC_ADDRESS = "10.77.2.2";
    static final String PUBLIC_ADDRESS = "10.77.2.1";
    static final String LAN_NETWORK = "10.77.1.0/24";
    /** The networks the bridge answers: both segments, so that only routing (not the allow-list) blocks. */
    static final String ALL_NETWORKS = "10.77.0.0/16";
    static final Path IP = Path.of("/sbin/ip");
    static final Path IPTABLES = Path.of("/usr/sbin/iptables");
    static final Path IPTABLES_SAVE = Path.of("/usr/sbin/iptables-save");
    private static final String PREFIX = "sbnat";
    private static final Pattern OUR_NAMESPACE = Pattern.compile("^" + PREFIX + "(\\d+)-(lan|router|pub)\\b");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    /** Per-namespace files that {@code ip netns exec} bind-mounts over those in /etc. */
    private static final Path NETNS_ETC = Path.of("/etc/netns");

    final String lan;
    final String router;
    final String pub;
    final Path workDir;
    private final Thread shutdownHook;
    private boolean closed;

    private NatLab(String tag, Path workDir) {
        this.lan = tag + "-lan";
        this.router = tag + "-router";
        this.pub = tag + "-pub";
        this.workDir = workDir;
        this.shutdownHook = new Thread(this::closeQuietly, "natlab-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Checks for root and the tools (installing iproute2/iptables when missing), removes what crashed runs
     * left, and builds the topology without any NAT rule (see {@link #masquerade}).
     */
    static NatLab create() throws IOException {
        if (!Commands.isRoot()) {
            throw new AssertionError("NatTraversalE2ETest needs root: it creates network namespaces, veth pairs and "
                    + "iptables NAT rules (CI runs as root). Run `mvn -B verify` as root.");
        }
        Commands.ensureDebianPackages(List.of(IP, IPTABLES, IPTABLES_SAVE), "iproute2", "iptables");
        removeLeftovers();
        NatLab lab = new NatLab(PREFIX + ProcessHandle.current().pid(),
                Files.createTempDirectory("switchboard-natlab-"));
        try {
            lab.build();
        } catch (IOException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() throws IOException {
        for (String ns : List.of(lan, router, pub)) {
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "lo", "up");
            // `ip netns exec` mounts this over /etc/resolv.conf: name lookups (Chromium makes some at start-up)
            // fail at once on the namespace's loopback instead of waiting for the machine's resolver, which is
            // unreachable from here anyway
            Path etc = NETNS_ETC.resolve(ns);
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        }
        // veth ends are created straight in their namespaces: the machine's own namespace never sees them
        ip("link", "add", "lan0", "netns", lan, "type", "veth", "peer", "name", "lan1", "netns", router);
        ip("link", "add", "wan0", "netns", router, "type", "veth", "peer", "name", "wan1", "netns", pub);
        address(lan, "lan0", LAN_ADDRESS);
        address(router, "lan1", ROUTER_LAN_ADDRESS);
        address(router, "wan0", ROUTER_PUBLIC_ADDRESS);
        address(pub, "wan1", PUBLIC_ADDRESS);
        ip("-n", lan, "route", "add", "default", "via", ROUTER_LAN_ADDRESS);
        run(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }

    private void address(String ns, String device, String address) {
        ip("-n", ns, "addr", "add", address + "/24", "dev", device);
        ip("-n", ns, "link", "set", device, "up");
    }

    /**
     * Adds a MASQUERADE rule on the router's public side: for everything ({@code tcpPort} null), or only for
     * TCP to one port (signaling passes the NAT, media does not).
     */
    void masquerade(Integer tcpPort) {
        List<String> rule = new ArrayList<>(List.of("-t", "nat", "-A", "POSTROUTING", "-o", "wan0"));
        if (tcpPort != null) {
            rule.addAll(List.of("-p", "tcp", "--dport", String.valueOf(tcpPort)));
        }
        rule.addAll(List.of("-j", "MASQUERADE"));
        iptables(router, rule);
    }

    /** Removes every NAT rule; connections the router already translated keep their mapping (conntrack). */
    void removeNatRules() {
        iptables(router, List.of("-t", "nat", "-F", "POSTROUTING"));
    }

    /** Counts, in the public namespace, the UDP datagrams to {@code port} from each of {@code sources}. */
    void countUdpTo(int port, String... sources) {
        for (String source : sources) {
            iptables(pub, List.of("-A", "INPUT", "-p", "udp", "-s", source, "--dport", String.valueOf(port),
                    "-j", "ACCEPT"));
        }
    }

    /**
     * The packet counters of the rules in a namespace's table, by rule (as {@code iptables-save} prints it,
     * without the counter), e.g. {@code -A INPUT -s 10.77.2.2/32 -p udp -m udp --dport 10000 -j ACCEPT}.
     */
    Map<String, Long> packetCounts(String ns, String table) {
        Commands.Result saved = run(ns, IPTABLES_SAVE.toString(), "-c", "-t", table);
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\[(\\d+):\\d+\\] (-A .*)$").matcher(saved.output());
        while (m.find()) {
            counts.merge(m.group(2).strip(), Long.parseLong(m.group(1)), Long::sum);
        }
        return counts;
    }

    /** Packets counted by the public namespace's INPUT rule for this source and UDP port (0 when none). */
    long udpPacketsFrom(String source, int port) {
        String wanted = source.contains("/") ? source : source + "/32";
        return packetCounts(pub, "filter").entrySet().stream()
                .filter(e -> e.getKey().startsWith("-A INPUT -s " + wanted + " -p udp")
                        && e.getKey().contains("--dport " + port + " "))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * The private source ({@code ip:port}) of the UDP flow the router sends from {@code publicPort} of its public
     * address to {@code destination}, from its connection-tracking table; empty when there is no such flow.
     */
    Optional<String> natSource(int publicPort, String destination, int destinationPort) {
        Pattern flow = Pattern.compile("\\budp\\b.*? src=(\\S+) dst=" + Pattern.quote(destination)
                + " sport=(\\d+) dport=" + destinationPort + " .*?src=" + Pattern.quote(destination) + " dst="
                + Pattern.quote(ROUTER_PUBLIC_ADDRESS) + " sport=" + destinationPort + " dport=" + publicPort + "\\b");
        for (String line : conntrack().split("\n")) {
            Matcher m = flow.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1) + ":" + m.group(2));
            }
        }
        return Optional.empty();
    }

    /** The router's connection-tracking table ({@code /proc/net/nf_conntrack} of its namespace). */
    String conntrack() {
        return run(router, "cat", "/proc/net/nf_conntrack").output();
    }

    /**
     * Starts a headless Chromium whose network is namespace {@code ns} (its only non-loopback address is that
     * namespace's), driven from here over {@code --remote-debugging-pipe}. {@code origin} is an http:// origin
     * in the namespaces that the page may treat as secure (camera access needs a secure context).
     */
    Browser launchBrowser(String ns, String label, String origin) throws IOException {
        Chromium.ensureInstalled();
        Path wrapper = workDir.resolve("chromium-in-" + ns + ".sh");
        if (!Files.exists(wrapper)) {
            Files.writeString(wrapper, "#!/bin/sh\nexec " + IP + " netns exec " + ns + " " + Chromium.BINARY
                    + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        }
        return Browser.start(label, List.of("--remote-debugging-pipe",
                "--unsafely-treat-insecure-origin-as-secure=" + origin), wrapper);
    }

    /** A process builder for {@code command} in namespace {@code ns}. */
    ProcessBuilder processIn(String ns, List<String> command) {
        List<String> full = new ArrayList<>(List.of(IP.toString(), "netns", "exec", ns));
        full.addAll(command);
        return new ProcessBuilder(full);
    }

    /** Runs a command in a namespace; fails with its output when it exits non-zero. */
    Commands.Result run(String ns, String... command) {
        return check(Commands.run(processIn(ns, List.of(command)).command(), null, Map.of(), COMMAND_TIMEOUT));
    }

    private void iptables(String ns, List<String> args) {
        List<String> command = new ArrayList<>(List.of(IPTABLES.toString(), "-w", "5"));
        command.addAll(args);
        run(ns, command.toArray(String[]::new));
    }

    /** NAT rules, input counters and connection tracking, for failure messages. */
    String diagnostics() {
        StringBuilder sb = new StringBuilder("=== network namespaces ").append(List.of(lan, router, pub)).append('\n');
        try {
            sb.append("router nat: ").append(packetCounts(router, "nat")).append('\n');
            sb.append("public input: ").append(packetCounts(pub, "filter")).append('\n');
            sb.append("router conntrack:\n").append(conntrack());
        } catch (RuntimeException | AssertionError e) {
            sb.append("(could not read: ").append(Browser.firstLine(e)).append(")\n");
        }
        return sb.toString();
    }

    private static Commands.Result ip(String... args) {
        List<String> command = new ArrayList<>(List.of(IP.toString()));
        command.addAll(List.of(args));
        return check(Commands.run(command, null, Map.of(), COMMAND_TIMEOUT));
    }

    private static Commands.Result check(Commands.Result result) {
        if (!result.ok()) {
            throw new AssertionError("network namespace set-up failed:\n" + result.describe());
        }
        return result;
    }

    /** Removes the namespaces of runs whose JVM has exited (after killing what still runs in them). */
    private static void removeLeftovers() throws IOException {
        Set<String> names = new TreeSet<>(namespaces());
        if (Files.isDirectory(NETNS_ETC)) {
            try (Stream<Path> files = Files.list(NETNS_ETC)) {
                files.forEach(f -> names.add(f.getFileName().toString()));
            }
        }
        for (String ns : names) {
            Matcher m = OUR_NAMESPACE.matcher(ns);
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                remove(ns);
            }
        }
    }

    private static List<String> namespaces() {
        Commands.Result list = ip("netns", "list");
        List<String> names = new ArrayList<>();
        for (String line : list.output().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /**
     * Kills the processes in {@code ns} (ours: browsers, servers), waits for them, and deletes it and its files
     * in /etc/netns.
     */
    private static void remove(String ns) {
        Commands.Result pids = Commands.run(List.of(IP.toString(), "netns", "pids", ns), null, Map.of(),
                COMMAND_TIMEOUT);
        List<ProcessHandle> inside = new ArrayList<>();
        for (String pid : pids.output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(inside::add);
            }
        }
        // a run killed outright also leaves the chromedriver that drove each browser, outside the namespace
        List<ProcessHandle> drivers = inside.stream().flatMap(p -> p.parent().stream())
                .filter(parent -> parent.info().command().map(Chromium.DRIVER.toString()::equals).orElse(false))
                .distinct().toList();
        inside.forEach(ProcessHandle::destroyForcibly);
        drivers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : inside) {
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                // deleting the name still works; the namespace goes away with its last process
            }
        }
        Commands.run(List.of(IP.toString(), "netns", "del", ns), null, Map.of(), COMMAND_TIMEOUT);
        Browser.deleteTree(NETNS_ETC.resolve(ns));
        try {
            Files.deleteIfExists(NETNS_ETC); // only when empty: other namespaces may have files there
        } catch (IOException notEmpty) {
            // keep it
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (String ns : List.of(lan, router, pub)) {
                remove(ns); // the veth pairs and NAT rules go with their namespaces
            }
        } finally {
            Browser.deleteTree(workDir);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException | AssertionError ignored) {
            // best effort at JVM exit
        }
    }
}

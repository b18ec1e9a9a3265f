package dev.switchboard.bench.floor;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor baseline: a bare UDP relay with the bridge's socket layer and threading but no ICE, DTLS, SRTP
 * or RTP logic. Like the bridge's SharedUdpPort + MediaLoop it has one blocking {@link DatagramChannel}
 * reader thread that looks the sender up by address, copies the datagram into a pooled jvb-core
 * {@link PacketBuffer} and hands it to one forwarding thread through an array-backed queue of the same
 * size; the forwarding thread copies it into its scratch buffer once per receiver and sends it to every
 * other member of the sender's room.
 *
 * <p>Members register with a text datagram {@code FLOOR HELLO <room> <id>}, answered {@code FLOOR OK}.
 * Counters are served as JSON on {@code GET /api/stats} with the bridge's field names.
 *
 * <p>Run: {@code java -cp ... dev.switchboard.bench.floor.FloorRelay --udp-port=N --http-port=M}.
 */
public final class FloorRelay implements AutoCloseable {
    /** The bridge's default per-media-thread queue (BridgeConfig.loopbackDefaults). */
    static final int QUEUE_SIZE = 4096;
    private static final byte[] HELLO = "FLOOR HELLO ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "FLOOR OK".getBytes(StandardCharsets.US_ASCII);

    private static final class Room {
        volatile Member[] members = new Member[0];
    }

    private record Member(InetSocketAddress address, Room room) {}

    private final DatagramChannel channel;
    private final PacketPool pool = new PacketPool(QUEUE_SIZE + 256);
    private final ArrayBlockingQueue<PacketBuffer> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private final Map<InetSocketAddress, Member> members = new ConcurrentHashMap<>();
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder packetsForwarded = new LongAdder();
    private final LongAdder bytesForwarded = new LongAdder();
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder unknownSource = new LongAdder();
    private final LongAdder sendFailed = new LongAdder();
    private final Thread reader;
    private final Thread forwarder;
    private volatile boolean running = true;

    public FloorRelay(int udpPort) throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
        channel.bind(new InetSocketAddress("127.0.0.1", udpPort));
        channel.configureBlocking(true);
        reader = new Thread(this::readLoop, "floor-udp");
        forwarder = new Thread(this::forwardLoop, "floor-media-0");
        reader.setDaemon(true);
        forwarder.setDaemon(true);
        reader.start();
        forwarder.start();
    }

    public int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void readLoop() {
        ByteBuffer rx = ByteBuffer.allocate(2048);
        byte[] array = rx.array();
        while (running) {
            rx.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(rx);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                continue;
            }
            int len = rx.position();
            Member member = members.get(from);
            if (isHello(array, len)) {
                if (member == null) {
                    register(from, array, len);
                }
                reply(from);
                continue;
            }
            if (member == null) {
                unknownSource.increment();
                continue;
            }
            packetsReceived.increment();
            bytesReceived.add(len);
            if (len > PacketPool.MAX_DATAGRAM) {
                continue;
            }
            PacketBuffer packet = pool.acquire();
            packet.copyFrom(array, 0, len);
            packet.setTag(member);
            if (!queue.offer(packet)) {
                packet.release();
                queueFull.increment();
            }
        }
    }

    private static boolean isHello(byte[] b, int len) {
        if (len < HELLO.length) {
            return false;
        }
        for (int i = 0; i < HELLO.length; i++) {
            if (b[i] != HELLO[i]) {
                return false;
            }
        }
        return true;
    }

    private void register(InetSocketAddress from, byte[] b, int len) {
        String[] fields = new String(b, 0, len, StandardCharsets.US_ASCII).split(" ");
        String roomName = fields.length > 2 ? fields[2] : "default";
        Room room = rooms.computeIfAbsent(roomName, k -> new Room());
        Member member = new Member(from, room);
        synchronized (room) {
            Member[] list = Arrays.copyOf(room.members, room.members.length + 1);
            list[list.length - 1] = member;
            room.members = list;
        }
        members.put(from, member);
    }

    private void reply(InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(OK), to);
        } catch (IOException e) {
            sendFailed.increment();
        }
    }

    private void forwardLoop() {
        PacketBuffer scratch = pool.acquire();
        while (running) {
            PacketBuffer packet;
            try {
                packet = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                Member sender = (Member) packet.tag();
                for (Member m : sender.room().members) {
                    if (m == sender) {
                        continue;
                    }
                    scratch.copyFrom(packet.array(), packet.offset(), packet.length());
                    try {
                        channel.send(scratch.nioView(), m.address());
                        packetsForwarded.increment();
                        bytesForwarded.add(scratch.length());
                    } catch (IOException e) {
                        sendFailed.increment();
                    }
                }
            } finally {
                packet.release();
            }
        }
    }

    /** The counters as JSON, with the field names of the bridge's {@code /api/stats}. */
    public String statsJson() {
        return "{\"packetsReceived\":" + packetsReceived.sum() + ",\"bytesReceived\":" + bytesReceived.sum()
                + ",\"packetsForwarded\":" + packetsForwarded.sum() + ",\"bytesForwarded\":" + bytesForwarded.sum()
                + ",\"dropped\":{\"queue-full\":" + queueFull.sum() + ",\"unknown-source\":" + unknownSource.sum()
                + ",\"send-failed\":" + sendFailed.sum() + "},\"droppedTotal\":"
                + (queueFull.sum() + unknownSource.sum() + sendFailed.sum()) + ",\"conferences\":" + rooms.size()
                + ",\"endpoints\":" + members.size() + ",\"queuedPackets\":" + queue.size() + "}";
    }

    @Override
    public void close() {
        running = false;
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
        forwarder.interrupt();
    }

    public static void main(String[] args) throws Exception {
        int udpPort = 0;
        int httpPort = 0;
        for (String arg : args) {
            if (arg.startsWith("--udp-port=")) {
                udpPort = Integer.parseInt(arg.substring(11));
            } else if (arg.startsWith("--http-port=")) {
                httpPort = Integer.parseInt(arg.substring(12));
            } else {
                System.err.println("usage: FloorRelay --udp-port=N --http-port=M");
                System.exit(2);
            }
        }
        FloorRelay relay = new FloorRelay(udpPort);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 16);
        http.createContext("/api/stats", exchange -> {
            byte[] body = relay.statsJson().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        System.out.println("floor relay: udp 127.0.0.1:" + relay.port() + ", http 127.0.0.1:"
                + http.getAddress().getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            relay.close();
        }));
        Thread.currentThread().join();
    }
}

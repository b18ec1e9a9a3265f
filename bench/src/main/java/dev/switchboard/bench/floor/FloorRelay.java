package dev.switchboard.bench.floor;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.api.BridgeConfig;
import dev.switchboard.core.api.ThreadPriority;
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
    /** The bridge's default priority for its media and socket threads, for the same threading (see ThreadPriority). */
    private static final int MEDIA_NICE = BridgeConfig.DEFAULT_THREAD_NICE;
    /** The bridge's default per-media-thread queue (BridgeConfig.loopbackDefaults). */
    static final int QUEUE_SIZE = 4096;
    private static final byte[] HELLO = "FLOOR HELLO ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "FLOOR OK".getBytes(StandardCharsets.US_ASCII);

    private static final class Room {
        volatile Member[] members = new Member[0];
    }

    private record Member(InetSocketAddress address, Room room) {}

    private final DatagramChannel channel;
    /** Evaluation only (docs/benchmark.md): Netty epoll with recvmmsg/sendmmsg instead of {@link #channel}. */
    private final EpollFloorSocket epoll;
    private final boolean inline;
    private PacketBuffer inlineScratch;
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
        this(udpPort, false);
    }

    /** @param epoll use the Netty epoll socket layer under evaluation instead of the bridge's */
    public FloorRelay(int udpPort, boolean epoll) throws IOException {
        this(udpPort, epoll, false);
    }

    /**
     * @param epoll  use the Netty epoll socket layer under evaluation instead of the bridge's
     * @param inline with epoll: forward on the event-loop thread itself (no queue, no forwarding thread; the
     *               fan-out of a batch of received datagrams leaves in sendmmsg calls at the end of the batch)
     */
    public FloorRelay(int udpPort, boolean epoll, boolean inline) throws IOException {
        this.inline = inline;
        if (epoll) {
            this.channel = null;
            this.epoll = new EpollFloorSocket(udpPort, this::handle);
            this.reader = null;
            if (inline) {
                inlineScratch = pool.acquire();
                forwarder = null;
                return;
            }
            forwarder = new Thread(this::forwardLoop, "floor-media-0");
            forwarder.setDaemon(true);
            forwarder.start();
            return;
        }
        this.epoll = null;
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
        return epoll != null ? epoll.port() : ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void readLoop() {
        ThreadPriority.setCurrentThreadNice(MEDIA_NICE);
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
            handle(array, 0, rx.position(), from);
        }
    }

    /** One received datagram (bytes valid for the call only), on the reading thread. */
    private void handle(byte[] array, int off, int len, InetSocketAddress from) {
        Member member = members.get(from);
        if (isHello(array, off, len)) {
            if (member == null) {
                register(from, array, off, len);
            }
            reply(from);
            return;
        }
        if (member == null) {
            unknownSource.increment();
            return;
        }
        packetsReceived.increment();
        bytesReceived.add(len);
        if (len > PacketPool.MAX_DATAGRAM) {
            return;
        }
        PacketBuffer packet = pool.acquire();
        packet.copyFrom(array, off, len);
        packet.setTag(member);
        if (inline) {
            forward(packet, inlineScratch);
            return;
        }
        if (!queue.offer(packet)) {
            packet.release();
            queueFull.increment();
        }
    }

    private static boolean isHello(byte[] b, int off, int len) {
        if (len < HELLO.length) {
            return false;
        }
        for (int i = 0; i < HELLO.length; i++) {
            if (b[off + i] != HELLO[i]) {
                return false;
            }
        }
        return true;
    }

    private void register(InetSocketAddress from, byte[] b, int off, int len) {
        String[] fields = new String(b, off, len, StandardCharsets.US_ASCII).split(" ");
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
        if (epoll != null) {
            epoll.send(OK, 0, OK.length, to);
            epoll.flush();
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(OK), to);
        } catch (IOException e) {
            sendFailed.increment();
        }
    }

    private void forwardLoop() {
        ThreadPriority.setCurrentThreadNice(MEDIA_NICE);
        PacketBuffer scratch = pool.acquire();
        while (running) {
            PacketBuffer packet;
            try {
                packet = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            forward(packet, scratch);
            if (epoll != null) {
                epoll.flush();
            }
        }
    }

    /** Sends a copy of {@code packet} to every other member of its sender's room, then releases it. */
    private void forward(PacketBuffer packet, PacketBuffer scratch) {
        try {
            Member sender = (Member) packet.tag();
            for (Member m : sender.room().members) {
                if (m == sender) {
                    continue;
                }
                scratch.copyFrom(packet.array(), packet.offset(), packet.length());
                if (epoll != null) {
                    epoll.send(scratch.array(), scratch.offset(), scratch.length(), m.address());
                    packetsForwarded.increment();
                    bytesForwarded.add(scratch.length());
                    continue;
                }
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
        if (epoll != null) {
            epoll.close();
            if (inlineScratch != null) {
                inlineScratch.release();
            }
        } else {
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
        }
        if (forwarder != null) {
            forwarder.interrupt();
        }
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
        String socket = System.getProperty("switchboard.floor.socket", "nio");
        boolean epoll = socket.startsWith("epoll");
        FloorRelay relay = new FloorRelay(udpPort, epoll, "epoll-inline".equals(socket));
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
        System.out.println("floor relay (" + socket + "): udp 127.0.0.1:" + relay.port() + ", http 127.0.0.1:"
                + http.getAddress().getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            relay.close();
        }));
        Thread.currentThread().join();
    }
}

package dev.switchboard.bench.gen;

import dev.switchboard.bench.Scenario;
import dev.switchboard.bench.media.LatencyHistogram;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.transport.dtls.DtlsCertificate;
import dev.switchboard.core.transport.dtls.SrtpProfile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator: all synthetic participants of a run in this process, one send loop, a few receive
 * loops, a timer for ICE, and a pool for DTLS handshakes. It talks to the bridge (signaling over WebSocket,
 * media over UDP) or to the floor relay (plain RTP over UDP) only through sockets.
 */
public final class Generator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    /** Who the participants talk to. */
    public enum Mode { BRIDGE, FLOOR }

    private final Scenario scenario;
    private final Mode mode;
    private final SecureRandom secureRandom = new SecureRandom();
    private final Random random = new Random(secureRandom.nextLong());
    private final PacketPool pool = new PacketPool(64);
    private final SendLoop sendLoop;
    private final List<ReceiveLoop> receiveLoops = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService dtlsExecutor;
    private final ExecutorService httpExecutor;
    private final Map<Long, StreamInfo> streams = new ConcurrentHashMap<>();
    private final List<Participant> participants = new ArrayList<>();

    public Generator(Scenario scenario, Mode mode) throws IOException {
        this.scenario = scenario;
        this.mode = mode;
        this.sendLoop = new SendLoop(pool);
        for (int i = 0; i < scenario.receiveThreads(); i++) {
            receiveLoops.add(new ReceiveLoop("bench-receive-" + i, pool));
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("bench-ice"));
        this.dtlsExecutor = Executors.newCachedThreadPool(daemon("bench-dtls"));
        // Threads on demand: 50 browsers joining at once each run their own signaling code, none waits for
        // another's (a fixed pool of 2 made the later participants' messages queue behind the earlier ones).
        this.httpExecutor = Executors.newCachedThreadPool(daemon("bench-signaling"));
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    Scenario scenario() {
        return scenario;
    }

    Mode mode() {
        return mode;
    }

    /**
     * A new HTTP client for one participant: its own connection and selector thread, as each browser has its own
     * network stack (one client shared by all participants read every WebSocket on one selector thread).
     */
    HttpClient newHttpClient() {
        return HttpClient.newBuilder().executor(httpExecutor).connectTimeout(Duration.ofSeconds(10)).build();
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ExecutorService dtlsExecutor() {
        return dtlsExecutor;
    }

    SecureRandom secureRandom() {
        return secureRandom;
    }

    SendLoop sendLoop() {
        return sendLoop;
    }

    /** Bytes the SRTP profile adds to RTP (the tag), mimicked by the floor run's padding. */
    int rtpOverhead() {
        return scenario.srtpProfile() == SrtpProfile.AES_CM_128_HMAC_SHA1_80 ? 10 : 16;
    }

    int rtcpOverhead() {
        return rtpOverhead() + 4;
    }

    /** A fresh random SSRC, unique in this generator, registered with what it carries (null: RTCP only). */
    synchronized long newSsrc(StreamInfo info) {
        while (true) {
            long ssrc = random.nextInt() & 0xFFFFFFFFL;
            if (ssrc != 0 && !streams.containsKey(ssrc)) {
                streams.put(ssrc, info == null ? new StreamInfo(-1, "rtcp", 0) : info);
                return ssrc;
            }
        }
    }

    StreamInfo streamInfo(long ssrc) {
        return streams.get(ssrc);
    }

    /**
     * Creates the participants (certificates are made up front, as a browser makes them with its peer
     * connection) and joins them: all at once, or {@code joinRate} per second. Returns when every one has
     * media keys or the scenario's join timeout has passed.
     */
    public void joinAll(URI signaling, InetSocketAddress floorRelay) throws Exception {
        int index = 0;
        for (int r = 0; r < scenario.rooms(); r++) {
            String room = "bench-" + r;
            for (int i = 0; i < scenario.participants(); i++) {
                boolean publishes = i < scenario.publishersPerRoom();
                ReceiveLoop loop = receiveLoops.get(index % receiveLoops.size());
                DtlsCertificate certificate = mode == Mode.BRIDGE ? DtlsCertificate.generate(secureRandom) : null;
                participants.add(new Participant(this, index, room, publishes, loop, certificate, random));
                index++;
            }
        }
        long start = System.nanoTime();
        for (int i = 0; i < participants.size(); i++) {
            if (scenario.joinRate() > 0) {
                long due = start + (long) (i * 1e9 / scenario.joinRate());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            Participant p = participants.get(i);
            if (mode == Mode.BRIDGE) {
                p.joinBridge(signaling);
            } else {
                p.joinFloor(floorRelay);
            }
        }
        long deadline = System.nanoTime() + scenario.joinTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (participants.stream().allMatch(p -> p.mediaReady || p.failure != null)) {
                break;
            }
            Thread.sleep(20);
        }
        long ready = participants.stream().filter(p -> p.mediaReady).count();
        LOG.info("{}: {} of {} participants connected in {} ms", mode, ready, participants.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Writes each participant's join timeline as CSV: raw {@code System.nanoTime()} stamps (0 = not reached),
     * the same clock as the server's {@code join-timeline} DEBUG lines, joined on the endpoint id.
     */
    public void writeJoinTimelines(java.nio.file.Path file) throws IOException {
        StringBuilder sb = new StringBuilder(
                "name,endpointId,start,wsOpen,joined,offer,answer,ice,dtlsResponse,connected,firstMedia,failure,dtlsIn\n");
        for (Participant p : participants) {
            sb.append(p.name).append(',').append(p.endpointId()).append(',').append(p.tStart).append(',')
                    .append(p.tWsOpen).append(',').append(p.tJoined).append(',').append(p.tOffer).append(',')
                    .append(p.tAnswer).append(',').append(p.tIce).append(',').append(p.tDtlsResponse).append(',')
                    .append(p.tConnected).append(',').append(p.tFirstMedia).append(',')
                    .append(p.failure == null ? "" : p.failure.replace(',', ';').replace('\n', ' ')).append(',')
                    .append(p.dtlsDatagrams).append('\n');
        }
        java.nio.file.Files.writeString(file, sb.toString());
    }

    /**
     * A throw-away call of {@code participants} (2 by default) in its own room before anything is measured: it
     * loads and compiles the signaling, ICE, DTLS, SRTP and forwarding code of the server and of the generator
     * once, so that join times and the idle heap describe a server that has served a call before, not a cold
     * JVM. A larger one also runs the re-offers of a multi-party room.
     */
    public void warmUpCall(URI signaling, InetSocketAddress floorRelay, long mediaMillis, int participants)
            throws Exception {
        List<Participant> pair = new ArrayList<>();
        for (int i = 0; i < participants; i++) {
            DtlsCertificate certificate = mode == Mode.BRIDGE ? DtlsCertificate.generate(secureRandom) : null;
            pair.add(new Participant(this, 1_000_000 + i, "bench-warmup", true, receiveLoops.get(0), certificate, random));
        }
        for (Participant p : pair) {
            if (mode == Mode.BRIDGE) {
                p.joinBridge(signaling);
            } else {
                p.joinFloor(floorRelay);
            }
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && !pair.stream().allMatch(p -> p.mediaReady || p.failure != null)) {
            Thread.sleep(20);
        }
        Thread.sleep(mediaMillis);
        for (Participant p : pair) {
            if (!p.mediaReady) {
                LOG.warn("warm-up call: {} did not connect: {}", p.name, p.failure);
            }
            p.leave();
        }
    }

    /** Latencies are recorded from now on; receive statistics get their window-start mark. */
    public void startMeasuring() throws InterruptedException {
        sendLoop.resetStats();
        for (ReceiveLoop l : receiveLoops) {
            l.mark(ReceiveLoop.Mark.START);
            l.measuring = true;
        }
    }

    /** Stops recording latencies and marks the end of the measured window. */
    public void stopMeasuring() throws InterruptedException {
        for (ReceiveLoop l : receiveLoops) {
            l.measuring = false;
            l.mark(ReceiveLoop.Mark.END);
        }
    }

    /** Stops all media and RTCP (the sockets stay open, ICE consent goes on). */
    public void stopSending() {
        sendLoop.sending = false;
    }

    /** Marks the end of loss accounting: call after {@link #stopSending} and a short drain. */
    public void finalMark() throws InterruptedException {
        for (ReceiveLoop l : receiveLoops) {
            l.mark(ReceiveLoop.Mark.FINAL);
        }
    }

    /** Everything the participants counted; call after {@link #finalMark}. */
    public GeneratorStats collect(double windowSeconds) {
        GeneratorStats s = new GeneratorStats();
        s.participants = participants.size();
        LatencyHistogram histogram = new LatencyHistogram();
        for (ReceiveLoop l : receiveLoops) {
            histogram.merge(l.histogram);
            s.readErrors += l.readErrors;
        }
        s.latency = histogram;
        List<Double> connected = new ArrayList<>();
        List<Double> answered = new ArrayList<>();
        List<Double> iceDone = new ArrayList<>();
        List<Double> dtlsResponse = new ArrayList<>();
        List<Double> firstMedia = new ArrayList<>();
        Map<String, Integer> failures = new TreeMap<>();
        for (Participant p : participants) {
            if (p.tAnswer != 0) {
                answered.add((p.tAnswer - p.tStart) / 1e6);
            }
            if (p.tIce != 0) {
                iceDone.add((p.tIce - p.tStart) / 1e6);
            }
            if (p.tDtlsResponse != 0) {
                dtlsResponse.add((p.tDtlsResponse - p.tStart) / 1e6);
            }
            if (p.mediaReady) {
                s.connected++;
                connected.add((p.tConnected - p.tStart) / 1e6);
                if (p.tFirstMedia != 0) {
                    firstMedia.add((p.tFirstMedia - p.tStart) / 1e6);
                }
            }
            if (p.failure != null) {
                failures.merge(p.failure.replaceAll("[0-9]+", "N"), 1, Integer::sum);
            }
            s.signalingErrors += p.signalingErrors.get();
            s.stunErrors += p.stunErrors.get();
            s.stunRequestsAnswered += p.stunRequestsAnswered.get();
            s.sentRtp += p.sentRtp;
            s.sentRtcp += p.sentRtcp;
            s.sentBytes += p.sentBytes;
            s.sendErrors += p.sendErrors;
            s.protectFailures += p.protectFailures;
            s.retransmissionsSent += p.retransmissionsSent;
            s.retransmissionsSkipped += p.retransmissionsSkipped;
            s.keyFramesSent += p.keyFramesSent;
            s.rtpReceived += p.rtpReceived;
            s.rtcpReceived += p.rtcpReceived;
            s.unprotectFailures += p.rtpUnprotectFailures + p.rtcpUnprotectFailures;
            s.plisReceived += p.plisReceived;
            s.firsReceived += p.firsReceived;
            s.nacksReceived += p.nacksReceived;
            s.foreignPackets += p.foreignPackets;
            Map<String, Long> fromPeers = new TreeMap<>();
            for (RxStream r : p.rxList) {
                String kind = r.info == null ? "unknown" : r.info.kind();
                GeneratorStats.Loss loss = StreamInfo.VIDEO.equals(kind) ? s.videoLoss : s.audioLoss;
                if (r.finalMarked) {
                    loss.expected += r.finalExpected;
                    loss.received += r.finalUnique;
                    loss.duplicates += r.finalDuplicates;
                    loss.outOfOrder += r.finalOutOfOrder;
                    loss.tooOld += r.finalTooOld;
                    loss.retransmissions += r.finalRetransmissions;
                }
                s.windowPackets += r.endPackets - r.startPackets;
                s.windowBytes += r.endBytes - r.startBytes;
                s.keyFramesReceived += r.keyFrames;
                s.vp8Errors += r.vp8Errors;
                if (r.info != null && r.info.participant() >= 0) {
                    fromPeers.merge(r.info.participant() + "/" + kind, r.packets, Long::sum);
                }
            }
            s.receivedFromPeers.put(p.index, fromPeers);
        }
        s.failures = failures;
        Collections.sort(connected);
        Collections.sort(firstMedia);
        s.joinConnectedMs = connected;
        Collections.sort(answered);
        Collections.sort(iceDone);
        s.joinAnswerMs = answered;
        s.joinIceMs = iceDone;
        Collections.sort(dtlsResponse);
        s.joinDtlsResponseMs = dtlsResponse;
        s.joinFirstMediaMs = firstMedia;
        s.windowSeconds = windowSeconds;
        s.sendLoopLateWakeups = sendLoop.lateWakeups;
        s.sendLoopMaxLatenessMs = sendLoop.maxLatenessNanos / 1e6;
        return s;
    }

    /** Which participants publish and in which room (for checks). */
    public List<int[]> layout() {
        List<int[]> out = new ArrayList<>();
        for (Participant p : participants) {
            out.add(new int[] {p.index, Integer.parseInt(p.room.substring(6)), p.publishes ? 1 : 0});
        }
        return out;
    }

    /** Leaves (closes every WebSocket and socket) and stops the threads. */
    @Override
    public void close() {
        for (Participant p : participants) {
            p.leave();
        }
        sendLoop.close();
        for (ReceiveLoop l : receiveLoops) {
            l.close();
        }
        timer.shutdownNow();
        dtlsExecutor.shutdownNow();
        httpExecutor.shutdown();
    }
}

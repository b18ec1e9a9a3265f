package dev.switchboard.bench.gen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bench.Scenario;
import dev.switchboard.bench.media.Bytes;
import dev.switchboard.bench.media.FrameSizer;
import dev.switchboard.bench.media.Pacer;
import dev.switchboard.bench.media.Probe;
import dev.switchboard.bench.media.Rtcp;
import dev.switchboard.bench.media.Rtp;
import dev.switchboard.bench.media.SeqTracker;
import dev.switchboard.bench.media.Vp8;
import dev.switchboard.bench.proto.Sdp;
import dev.switchboard.bench.proto.SignalingClient;
import dev.switchboard.bench.proto.Stun;
import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.transport.dtls.DtlsCertificate;
import dev.switchboard.core.transport.dtls.DtlsSession;
import io.netty.util.collection.IntObjectHashMap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One synthetic WebRTC participant: a signaling WebSocket, one UDP socket, an ICE agent in the controlling
 * role (as a browser is against the bridge), a DTLS client (jvb-core's {@link DtlsSession}) and SRTP
 * (jvb-core's SrtpSession), Opus-like audio and VP8-like video senders paced like libwebrtc, RTCP (SR/RR,
 * SDES, NACK, PLI) and a receiver that checks every packet it gets.
 *
 * <p>Threads: signaling callbacks on this participant's own HTTP client (its own selector thread; callbacks on
 * the generator's on-demand signaling threads, synchronized on this); ICE checks on the
 * generator's timer; the DTLS handshake on the DTLS executor; everything that sends media or RTCP on the
 * send loop (the only user of the sending SRTP session); everything received on this participant's receive
 * loop (the only user of the receiving SRTP session and of the receive statistics).
 */
final class Participant {
    private static final Logger LOG = LoggerFactory.getLogger(Participant.class);
    private static final long MS = 1_000_000L;
    private static final long AUDIO_INTERVAL = 20 * MS;
    private static final int AUDIO_PAYLOAD = 100;
    private static final int MIN_PACKET = 64;
    private static final long KEY_FRAME_MIN_INTERVAL = 300 * MS;
    private static final long PLI_INTERVAL = 500 * MS;
    private static final int MAX_NACK = 64;
    private static final byte FLOOR_FIRST_BYTE = 'F';
    private static final String[] LAYER_RESOLUTIONS = {"320x180", "640x360", "1280x720"};

    final int index;
    final String room;
    final String name;
    final boolean publishes;
    /** Publishes an audio track (publishers do, unless the scenario is video only). */
    final boolean publishesAudio;
    final Generator.Mode mode;
    private final Generator gen;
    private final Scenario sc;
    final DatagramChannel channel;
    final InetSocketAddress localAddress;
    final ReceiveLoop loop;
    private final Random random;

    // join timeline (System.nanoTime, 0 = not reached)
    volatile long tStart;
    /** The WebSocket is open (the join message goes out). */
    volatile long tWsOpen;
    /** The server's {@code joined} arrived. */
    volatile long tJoined;
    /** The first offer went out. */
    volatile long tOffer;
    volatile long tAnswer;
    volatile long tIce;
    /** First DTLS record from the server (its first handshake flight). */
    volatile long tDtlsResponse;
    /** DTLS datagrams received until media keys (more than the handshake needs: retransmissions). */
    volatile int dtlsDatagrams;
    volatile long tConnected;
    volatile long tFirstMedia;
    volatile String failure;
    volatile boolean mediaReady;
    volatile boolean closed;
    private volatile MediaCrypto crypto;

    // ICE (we are the controlling agent)
    private final String localUfrag;
    private final String localPwd;
    private final long tieBreaker;
    private volatile String remoteUfrag;
    private volatile String remotePwd;
    private volatile InetSocketAddress remote;
    private volatile boolean iceSucceeded;
    private final byte[][] recentTransactions = new byte[8][];
    private int nextTransaction;
    private volatile long lastCheckNanos;
    private ScheduledFuture<?> iceTask;
    final AtomicInteger stunRequestsAnswered = new AtomicInteger();
    final AtomicInteger stunErrors = new AtomicInteger();

    // DTLS
    private final DtlsCertificate certificate;
    private volatile DtlsSession dtls;

    // signaling (guarded by this)
    /** Its own HTTP client, made with the participant: a browser's network stack is up before it joins. */
    private final java.net.http.HttpClient http;
    private SignalingClient ws;
    private String endpointId;
    private boolean offerInFlight;
    private boolean offerPending;
    private int offerVersion = 1;
    private final List<String> recvKinds = new ArrayList<>();
    private int audioSources;
    private int videoSources;
    private boolean firstAnswer = true;
    private final long sessionId;
    final AtomicInteger signalingErrors = new AtomicInteger();
    private volatile String lastSignalingError;

    // send side (send loop only, apart from the final fields)
    final long audioSsrc;
    final VideoLayer[] layers;
    private final long rtcpSsrc;
    private final String cname;
    private final String streamId;
    private final Pacer pacer;
    private final FrameQueue queue = new FrameQueue(64);
    private final long audioTimestampBase;
    private int audioSeq;
    private long audioPackets;
    private long audioOctets;
    private long mediaStartNanos;
    private long audioDue;
    private long frameDue;
    private long rtcpDue;
    private long frameNumber;
    private final long frameInterval;
    private final long keyFrameIntervalFrames;
    final ArrayBlockingQueue<long[]> feedbackOut = new ArrayBlockingQueue<>(256);
    final ArrayBlockingQueue<Long> nackIn = new ArrayBlockingQueue<>(1024);
    final AtomicInteger keyFrameRequests = new AtomicInteger();
    long sentRtp;
    long sentBytes;
    long sentRtcp;
    long sendErrors;
    long retransmissionsSent;
    /** NACKed packets not resent: too old for the history, or over the retransmission budget. */
    long retransmissionsSkipped;
    // Retransmission budget (token bucket), like a real sender's cap on NACK-driven resends: at most a
    // quarter of its video packet rate, bursts of 10.
    private double retransmitTokens = 10;
    private long retransmitRefillNanos;
    private final double retransmitPerSecond;
    long keyFramesSent;
    long protectFailures;

    // receive side (receive loop only)
    final IntObjectHashMap<RxStream> rx = new IntObjectHashMap<>();
    volatile RxStream[] rxList = new RxStream[0];
    long rtpReceived;
    long rtcpReceived;
    long rtpUnprotectFailures;
    long rtcpUnprotectFailures;
    long plisReceived;
    long firsReceived;
    long nacksReceived;
    long foreignPackets;

    Participant(Generator gen, int index, String room, boolean publishes, ReceiveLoop loop,
            DtlsCertificate certificate, Random random) throws IOException {
        this.gen = gen;
        this.sc = gen.scenario();
        this.mode = gen.mode();
        this.index = index;
        this.room = room;
        this.name = "bench-" + index;
        this.publishes = publishes;
        this.publishesAudio = publishes && !sc.videoOnly();
        this.loop = loop;
        this.certificate = certificate;
        this.random = random;
        this.channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.http = gen.mode() == Generator.Mode.BRIDGE ? gen.newHttpClient() : null;
        this.localUfrag = token(8);
        this.localPwd = token(24);
        this.tieBreaker = random.nextLong();
        this.sessionId = random.nextLong() & Long.MAX_VALUE;
        this.cname = token(16);
        this.streamId = java.util.UUID.randomUUID().toString();
        this.rtcpSsrc = gen.newSsrc(null);
        this.audioTimestampBase = random.nextInt() & 0xFFFFFFFFL;
        this.audioSeq = random.nextInt(1 << 15);
        this.frameInterval = 1_000_000_000L / sc.fps();
        this.keyFrameIntervalFrames = Math.max(1, sc.keyFrameInterval().toMillis() * sc.fps() / 1000);
        if (publishes) {
            this.audioSsrc = gen.newSsrc(new StreamInfo(index, StreamInfo.AUDIO, 0));
            long[] bitrates = sc.layerBitrates();
            this.layers = new VideoLayer[bitrates.length];
            long total = 0;
            for (int i = 0; i < bitrates.length; i++) {
                int resolution = bitrates.length == 1 ? 2 : i;
                String[] wh = LAYER_RESOLUTIONS[resolution].split("x");
                layers[i] = new VideoLayer(i, gen.newSsrc(new StreamInfo(index, StreamInfo.VIDEO, i)),
                        new FrameSizer(bitrates[i], sc.fps(), sc.packetSize(), MIN_PACKET, 4.0),
                        Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), random, sc.packetSize());
                total += bitrates[i];
            }
            this.pacer = total > 0 ? new Pacer(2.5 * total, 2 * MS) : null;
            this.retransmitPerSecond = 0.25 * total / 8.0 / sc.packetSize();
        } else {
            this.audioSsrc = -1;
            this.layers = new VideoLayer[0];
            this.pacer = null;
            this.retransmitPerSecond = 0;
        }
    }

    private String token(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // ---- joining ------------------------------------------------------------------------------------------

    /** Bridge mode: opens the WebSocket and joins; the rest follows from the server's messages. */
    void joinBridge(URI wsUri) {
        tStart = System.nanoTime();
        SignalingClient.connect(http, wsUri, new SignalingClient.Handler() {
            @Override
            public void onMessage(JsonNode message) {
                onSignaling(message);
            }

            @Override
            public void onClosed(String reason) {
                if (!closed && !mediaReady) {
                    fail("signaling closed: " + reason);
                }
            }
        }).whenComplete((client, error) -> {
            if (error != null) {
                fail("WebSocket connect failed: " + error);
                return;
            }
            synchronized (this) {
                tWsOpen = System.nanoTime();
                ws = client;
                client.send(SignalingClient.message("join").put("room", room).put("name", name));
            }
        });
    }

    /** Floor mode: registers with the relay by a hello datagram (repeated until it answers). */
    void joinFloor(InetSocketAddress relay) throws IOException {
        tStart = System.nanoTime();
        remote = relay;
        channel.connect(relay);
        loop.register(this);
        byte[] hello = ("FLOOR HELLO " + room + " " + index).getBytes(StandardCharsets.US_ASCII);
        iceTask = gen.timer().scheduleAtFixedRate(() -> {
            if (closed || mediaReady) {
                cancelIceTask();
                return;
            }
            try {
                channel.write(ByteBuffer.wrap(hello));
            } catch (IOException e) {
                // retried on the next tick
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    private synchronized void onSignaling(JsonNode m) {
        if (closed) {
            return;
        }
        String type = m.path("type").asText();
        switch (type) {
            case "joined" -> {
                endpointId = m.path("endpointId").asText();
                tJoined = System.nanoTime();
            }
            case "sources" -> {
                int a = 0;
                int v = 0;
                for (JsonNode s : m.path("sources")) {
                    if ("audio".equals(s.path("kind").asText())) {
                        a++;
                    } else if ("video".equals(s.path("kind").asText())) {
                        v++;
                    }
                }
                audioSources = a;
                videoSources = v;
                requestOffer();
            }
            case "answer" -> onAnswer(m.path("sdp").asText());
            case "error" -> {
                signalingErrors.incrementAndGet();
                lastSignalingError = m.toString();
                LOG.warn("{}: signaling error {}", name, m);
                if (offerInFlight) {
                    offerInFlight = false;
                    if (offerPending) {
                        sendOffer();
                    }
                }
            }
            case "media-state" -> {
                if ("failed".equals(m.path("state").asText())) {
                    fail("bridge reported media failure: " + m.path("reason").asText());
                }
            }
            default -> {
                // participant-joined/-left and candidates need no action: sources drive renegotiation.
            }
        }
    }

    /** One offer in flight at a time, like the web client; a later need re-offers after the answer. */
    private void requestOffer() {
        if (offerInFlight) {
            offerPending = true;
        } else {
            sendOffer();
        }
    }

    private void sendOffer() {
        long audioRecv = recvKinds.stream().filter("audio"::equals).count();
        long videoRecv = recvKinds.stream().filter("video"::equals).count();
        // Browsers add receive-only transceivers as sources appear and keep them (answered inactive when idle).
        while (audioRecv < audioSources || videoRecv < videoSources) {
            if (audioRecv < audioSources) {
                recvKinds.add("audio");
                audioRecv++;
            }
            if (videoRecv < videoSources) {
                recvKinds.add("video");
                videoRecv++;
            }
        }
        Sdp.Transport transport = new Sdp.Transport(localUfrag, localPwd, certificate.fingerprint().value(),
                localAddress.getAddress().getHostAddress(), localAddress.getPort());
        Sdp.SendTrack audio = publishesAudio ? new Sdp.SendTrack("audio", new long[] {audioSsrc}, cname, streamId,
                streamId + "-a") : null;
        Sdp.SendTrack video = null;
        if (publishes && layers.length > 0) {
            long[] ssrcs = new long[layers.length];
            for (int i = 0; i < layers.length; i++) {
                ssrcs[i] = layers[i].ssrc;
            }
            video = new Sdp.SendTrack("video", ssrcs, cname, streamId, streamId + "-v");
        }
        String sdp = Sdp.offer(sessionId, offerVersion++, transport, audio, video, recvKinds);
        offerInFlight = true;
        offerPending = false;
        if (tOffer == 0) {
            tOffer = System.nanoTime();
        }
        ws.send(SignalingClient.message("offer").put("sdp", sdp));
    }

    private void onAnswer(String sdp) {
        offerInFlight = false;
        if (firstAnswer) {
            firstAnswer = false;
            tAnswer = System.nanoTime();
            try {
                startIce(Sdp.parseAnswer(sdp));
            } catch (RuntimeException | IOException e) {
                fail("cannot use the answer: " + e);
                return;
            }
        }
        if (offerPending) {
            sendOffer();
        }
    }

    // ---- ICE ----------------------------------------------------------------------------------------------

    private void startIce(Sdp.Answer answer) throws IOException {
        if (answer.candidates().isEmpty()) {
            throw new IOException("the answer has no UDP candidate");
        }
        if (!"passive".equals(answer.setup())) {
            throw new IOException("expected a=setup:passive (bridge as DTLS server), got " + answer.setup());
        }
        Sdp.Candidate c = answer.candidates().get(0);
        remoteUfrag = answer.ufrag();
        remotePwd = answer.pwd();
        InetSocketAddress target = new InetSocketAddress(c.address(), c.port());
        remote = target;
        channel.connect(target);
        loop.register(this);
        DtlsSession session = new DtlsSession(certificate, DtlsRole.CLIENT,
                List.of(new Fingerprint(answer.fingerprintAlgorithm(), answer.fingerprint())),
                (buf, off, len) -> channel.write(ByteBuffer.wrap(buf, off, len)), gen.dtlsExecutor(),
                gen.secureRandom(), List.of(sc.srtpProfile()));
        dtls = session;
        session.handshakeFuture().whenComplete((keys, error) -> {
            if (error != null) {
                fail("DTLS: " + error.getMessage());
            } else if (!closed) {
                crypto = MediaCrypto.srtp(keys);
                onMediaReady();
            }
        });
        // The first check goes out at once, from this thread, as a browser's does when it applies the answer;
        // the shared timer only paces the following ones.
        sendCheck(true);
        iceTask = gen.timer().scheduleAtFixedRate(this::iceTick, 50, 50, TimeUnit.MILLISECONDS);
    }

    private void iceTick() {
        if (closed) {
            cancelIceTask();
            return;
        }
        long now = System.nanoTime();
        if (!iceSucceeded) {
            if (now - tAnswer > 10_000 * MS) {
                fail("ICE: no Binding Success Response within 10 s");
                return;
            }
            sendCheck(true);
        } else if (!mediaReady) {
            if (now - lastCheckNanos >= 200 * MS) {
                sendCheck(true);
            }
        } else if (now - lastCheckNanos >= 5_000 * MS) {
            sendCheck(false); // consent freshness (RFC 7675), as browsers do every ~5 s
        }
    }

    private void sendCheck(boolean nominate) {
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        synchronized (recentTransactions) {
            recentTransactions[nextTransaction] = tid;
            nextTransaction = (nextTransaction + 1) % recentTransactions.length;
        }
        // Peer-reflexive priority (RFC 8445 section 7.1.1): type preference 110, local preference 65535.
        long priority = (110L << 24) | (65535L << 8) | 255;
        byte[] request = Stun.bindingRequest(tid, remoteUfrag + ":" + localUfrag, remotePwd, priority, true,
                tieBreaker, nominate);
        lastCheckNanos = System.nanoTime();
        try {
            channel.write(ByteBuffer.wrap(request));
        } catch (IOException e) {
            // the next tick retries
        }
    }

    private boolean isOurTransaction(byte[] b, int off) {
        synchronized (recentTransactions) {
            for (byte[] tid : recentTransactions) {
                if (tid != null && Stun.hasTransactionId(b, off, tid)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Receive loop: a STUN message from the bridge. */
    private void onStun(byte[] b, int off, int len) {
        if (!Stun.isStun(b, off, len) || !Stun.checkFingerprint(b, off, len)) {
            stunErrors.incrementAndGet();
            return;
        }
        int type = Stun.messageType(b, off);
        if (type == Stun.BINDING_REQUEST) {
            String user = Stun.username(b, off, len);
            if (user == null || !user.startsWith(localUfrag + ":") || !Stun.checkIntegrity(b, off, len, localPwd)) {
                stunErrors.incrementAndGet();
                return;
            }
            byte[] response = Stun.bindingSuccess(Stun.transactionId(b, off), remote, localPwd);
            try {
                channel.write(ByteBuffer.wrap(response));
                stunRequestsAnswered.incrementAndGet();
            } catch (IOException e) {
                stunErrors.incrementAndGet();
            }
        } else if (type == Stun.BINDING_SUCCESS) {
            if (!isOurTransaction(b, off) || !Stun.checkIntegrity(b, off, len, remotePwd)) {
                stunErrors.incrementAndGet();
                return;
            }
            if (!iceSucceeded) {
                iceSucceeded = true;
                tIce = System.nanoTime();
                DtlsSession session = dtls;
                if (session != null) {
                    session.start();
                }
            }
        } else if (type == Stun.BINDING_ERROR) {
            stunErrors.incrementAndGet();
        }
    }

    private void cancelIceTask() {
        ScheduledFuture<?> t = iceTask;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void onMediaReady() {
        if (closed || mediaReady) {
            return;
        }
        tConnected = System.nanoTime();
        mediaReady = true;
        gen.sendLoop().add(this);
    }

    void fail(String reason) {
        if (failure == null && !closed) {
            failure = reason;
            LOG.warn("{} (room {}): {}", name, room, reason);
        }
    }

    // ---- send loop ----------------------------------------------------------------------------------------

    /** Send loop: sends everything due at {@code now}; returns when it next has something to do. */
    long service(long now, PacketBuffer scratch, boolean sending) {
        if (mediaStartNanos == 0) {
            // Spread the first packets of different participants instead of sending them in lock-step.
            mediaStartNanos = now;
            audioDue = now + (long) (random.nextDouble() * AUDIO_INTERVAL);
            frameDue = now + (long) (random.nextDouble() * frameInterval);
            rtcpDue = now + 500 * MS + (long) (random.nextDouble() * 500 * MS);
        }
        if (!sending || closed) {
            return now + 10 * MS;
        }
        drainFeedback(scratch);
        drainNacks(now, scratch);
        long next = Long.MAX_VALUE;
        if (publishes) {
            int burst = 0;
            while (publishesAudio && now >= audioDue && burst++ < 10) {
                sendAudio(audioDue, now, scratch);
                audioDue += AUDIO_INTERVAL;
            }
            if (now - audioDue > 200 * MS) {
                audioDue = now; // fell far behind (stall): resynchronize instead of bursting
            }
            if (publishesAudio) {
                next = Math.min(next, audioDue);
            }
            if (layers.length > 0) {
                burst = 0;
                while (now >= frameDue && burst++ < 10) {
                    captureFrame(frameDue, now);
                    frameDue += frameInterval;
                }
                if (now - frameDue > 200 * MS) {
                    frameDue = now;
                }
                next = Math.min(next, frameDue);
                while (!queue.isEmpty() && pacer.canSend(now)) {
                    int size = sendNextVideoPacket(now, scratch);
                    pacer.onSent(now, size);
                }
                if (!queue.isEmpty()) {
                    next = Math.min(next, pacer.nextSendTime(now));
                }
            }
        }
        if (now >= rtcpDue) {
            sendReports(now, scratch);
            // RFC 3550 section 6.3.5: randomized interval, 0.5..1.5 of the nominal one (1 s here)
            rtcpDue = now + 500 * MS + (long) (random.nextDouble() * 1000 * MS);
        }
        return Math.min(next, rtcpDue);
    }

    private void sendAudio(long due, long now, PacketBuffer p) {
        byte[] b = p.array();
        int off = p.start();
        int seq = audioSeq++ & 0xFFFF;
        long ts = (audioTimestampBase + (due - mediaStartNanos) * 48 / 1_000_000L) & 0xFFFFFFFFL;
        int pos = off + Rtp.writeHeader(b, off, true, false, Sdp.OPUS_PT, seq, ts, audioSsrc);
        // speech-like activity: each participant talks for 3 s out of 3 * (publishers) seconds
        long slot = (now / (3_000 * MS)) % Math.max(1, sc.publishersPerRoom());
        boolean talking = slot == index % Math.max(1, sc.publishersPerRoom());
        pos += Rtp.writeAudioLevelExtension(b, pos, Sdp.AUDIO_LEVEL_EXT_ID, talking, talking ? 25 : 90);
        b[pos] = 0x78; // Opus TOC: config 15 (hybrid fullband 20 ms), mono, one frame
        int end = pos + AUDIO_PAYLOAD;
        Probe.write(b, end, System.nanoTime(), 0);
        p.setOffsetAndLength(off, end - off);
        audioPackets++;
        audioOctets += AUDIO_PAYLOAD;
        send(p, false);
    }

    private void captureFrame(long captureNanos, long now) {
        long n = frameNumber++;
        boolean periodic = n % keyFrameIntervalFrames == 0;
        int requests = keyFrameRequests.getAndSet(0);
        for (VideoLayer layer : layers) {
            if ((requests & (1 << layer.layer)) != 0) {
                layer.keyFramePending = true; // PLI/FIR: honoured as soon as the minimum interval allows
            }
            boolean key = layer.frames == 0 || periodic
                    || layer.keyFramePending && now - layer.lastKeyFrameNanos >= KEY_FRAME_MIN_INTERVAL;
            FrameQueue.Frame f = queue.addLast();
            if (f == null) {
                continue;
            }
            if (key) {
                layer.keyFramePending = false;
                layer.lastKeyFrameNanos = now;
                keyFramesSent++;
            }
            // L1T3 temporal pattern 0,2,1,2 restarting at key frames
            int phase = key ? 0 : (int) (layer.frames % 4);
            int tid = phase == 0 ? 0 : phase == 2 ? 1 : 2;
            if (tid == 0) {
                layer.tl0PicIdx = (layer.tl0PicIdx + 1) & 0xFF;
            }
            f.layer = layer;
            f.packets = layer.sizer.nextFrame(key);
            f.lastPacketSize = layer.sizer.lastPacketSize();
            f.keyFrame = key;
            f.pictureId = layer.pictureId;
            layer.pictureId = (layer.pictureId + 1) & 0x7FFF;
            f.tl0PicIdx = layer.tl0PicIdx;
            f.temporalId = tid;
            f.layerSync = tid > 0 && phase <= 2;
            f.rtpTimestamp = (layer.timestampBase + (captureNanos - mediaStartNanos) * 9 / 100_000L) & 0xFFFFFFFFL;
            layer.frames++;
        }
    }

    private int sendNextVideoPacket(long now, PacketBuffer p) {
        FrameQueue.Frame f = queue.peek();
        VideoLayer layer = f.layer;
        int i = f.nextPacket++;
        boolean last = i == f.packets - 1;
        int size = last ? f.lastPacketSize : layer.sizer.packetSize();
        byte[] b = p.array();
        int off = p.start();
        int seq = layer.seq++ & 0xFFFF;
        int pos = off + Rtp.writeHeader(b, off, false, last, Sdp.VP8_PT, seq, f.rtpTimestamp, layer.ssrc);
        pos += Vp8.writeDescriptor(b, pos, i == 0, f.pictureId, f.tl0PicIdx, f.temporalId, f.layerSync);
        if (i == 0) {
            int firstPartition = Math.min(size, 600);
            pos += Vp8.writePayloadHeader(b, pos, f.keyFrame, firstPartition, layer.width, layer.height);
        }
        int end = off + Math.max(size, pos - off + Probe.LENGTH);
        Probe.write(b, end, System.nanoTime(), 0);
        p.setOffsetAndLength(off, end - off);
        layer.remember(seq, b, off, end - off);
        layer.packets++;
        layer.octets += end - off - Rtp.HEADER_LENGTH;
        if (last) {
            queue.removeFirst();
        }
        send(p, false);
        return end - off;
    }

    private void drainNacks(long now, PacketBuffer p) {
        retransmitTokens = Math.min(10, retransmitTokens + (now - retransmitRefillNanos) / 1e9 * retransmitPerSecond);
        retransmitRefillNanos = now;
        if (nackIn.isEmpty()) {
            return;
        }
        Long item;
        while ((item = nackIn.poll()) != null) {
            int layerIndex = (int) (item >>> 16);
            int seq = (int) (item & 0xFFFF);
            if (layerIndex >= layers.length) {
                continue;
            }
            if (retransmitTokens < 1) {
                retransmissionsSkipped++;
                continue;
            }
            VideoLayer layer = layers[layerIndex];
            int slot = seq & (VideoLayer.HISTORY - 1);
            if (layer.historySeq[slot] != seq || now - layer.historyResentNanos[slot] < 100 * MS) {
                retransmissionsSkipped++; // too old, or just resent for another receiver's NACK
                continue;
            }
            layer.historyResentNanos[slot] = now;
            retransmitTokens--;
            int len = layer.historyLength[slot];
            int off = p.start();
            System.arraycopy(layer.history[slot], 0, p.array(), off, len);
            Probe.setFlags(p.array(), off + len, Probe.FLAG_RETRANSMISSION);
            p.setOffsetAndLength(off, len);
            retransmissionsSent++;
            send(p, false);
        }
    }

    private void drainFeedback(PacketBuffer p) {
        long[] item;
        while ((item = feedbackOut.poll()) != null) {
            byte[] b = p.array();
            int off = p.start();
            long sender = primarySsrc();
            int pos = off + Rtcp.writeReceiverReport(b, off, sender, 0);
            if (item[0] == 0) {
                pos += Rtcp.writeNack(b, pos, sender, item[1], (int) item[2], (int) item[3], 16);
            } else {
                pos += Rtcp.writePli(b, pos, sender, item[1]);
            }
            p.setOffsetAndLength(off, pos - off);
            send(p, true);
        }
    }

    private long primarySsrc() {
        return publishesAudio ? audioSsrc : layers.length > 0 ? layers[0].ssrc : rtcpSsrc;
    }

    private void sendReports(long now, PacketBuffer p) {
        RxStream[] streams = rxList;
        int done = 0;
        boolean first = true;
        long ntp = Rtcp.ntp(System.currentTimeMillis() * MS);
        long sender = primarySsrc();
        do {
            byte[] b = p.array();
            int off = p.start();
            int pos = off;
            int blocks = Math.min(Rtcp.MAX_REPORT_BLOCKS, streams.length - done);
            // The first compound of a sender: an SR per sending SSRC, the first one with the report blocks.
            if (publishes && first) {
                pos += senderReport(b, pos, sender, ntp, now, blocks);
            } else {
                pos += Rtcp.writeReceiverReport(b, pos, sender, blocks);
            }
            for (int i = 0; i < blocks; i++) {
                pos += reportBlock(b, pos, streams[done + i], now);
            }
            done += blocks;
            if (publishes && first) {
                if (publishesAudio && audioSsrc != sender) {
                    pos += senderReport(b, pos, audioSsrc, ntp, now, 0);
                }
                for (VideoLayer layer : layers) {
                    if (layer.ssrc != sender) {
                        pos += senderReport(b, pos, layer.ssrc, ntp, now, 0);
                    }
                }
            }
            pos += Rtcp.writeSdesCname(b, pos, sender, cname);
            p.setOffsetAndLength(off, pos - off);
            send(p, true);
            first = false;
        } while (done < streams.length);
    }

    /** SR header and sender info of one of our SSRCs (RTP time of {@code now} on its clock). */
    private int senderReport(byte[] b, int pos, long ssrc, long ntp, long now, int blocks) {
        if (ssrc == audioSsrc) {
            long ts = (audioTimestampBase + (now - mediaStartNanos) * 48 / 1_000_000L) & 0xFFFFFFFFL;
            return Rtcp.writeSenderReport(b, pos, ssrc, ntp, ts, audioPackets, audioOctets, blocks);
        }
        for (VideoLayer layer : layers) {
            if (layer.ssrc == ssrc) {
                long ts = (layer.timestampBase + (now - mediaStartNanos) * 9 / 100_000L) & 0xFFFFFFFFL;
                return Rtcp.writeSenderReport(b, pos, ssrc, ntp, ts, layer.packets, layer.octets, blocks);
            }
        }
        throw new IllegalArgumentException("not our SSRC: " + ssrc);
    }

    private int reportBlock(byte[] b, int pos, RxStream s, long now) {
        SeqTracker t = s.seq;
        long expected = t.expected();
        long received = t.unique();
        long expectedInterval = expected - s.reportedExpected;
        long lostInterval = expectedInterval - (received - s.reportedReceived);
        s.reportedExpected = expected;
        s.reportedReceived = received;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long lsr = s.lastSrNtpMiddle;
        long dlsr = lsr == 0 ? 0 : (now - s.lastSrArrivalNanos) * 65536 / 1_000_000_000L;
        return Rtcp.writeReportBlock(b, pos, s.ssrc, Math.min(255, fraction), expected - received,
                t.started() ? t.extendedMax() & 0xFFFFFFFFL : 0, (long) s.jitter, lsr, dlsr);
    }

    private void send(PacketBuffer p, boolean rtcp) {
        MediaCrypto c = crypto;
        if (c == null) {
            return;
        }
        if (!(rtcp ? c.protectRtcp(p) : c.protectRtp(p))) {
            protectFailures++;
            return;
        }
        try {
            if (channel.write(p.nioView()) == 0) {
                sendErrors++;
                return;
            }
            if (rtcp) {
                sentRtcp++;
            } else {
                sentRtp++;
            }
            sentBytes += p.length();
        } catch (IOException e) {
            sendErrors++;
        }
    }

    // ---- receive loop -------------------------------------------------------------------------------------

    /** Receive loop: one datagram in {@code p} (offset/length set), read at {@code rxNanos}. */
    void onDatagram(PacketBuffer p, long rxNanos, ReceiveLoop l) {
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length();
        int first = b[off] & 0xFF;
        if (first < 4) {
            onStun(b, off, len);
        } else if (first >= 20 && first <= 63) {
            DtlsSession session = dtls;
            if (session != null) {
                if (tDtlsResponse == 0) {
                    tDtlsResponse = System.nanoTime();
                }
                if (!mediaReady) {
                    dtlsDatagrams = dtlsDatagrams + 1; // only the receive loop writes it
                }
                session.onDatagram(b, off, len);
            }
        } else if (first == FLOOR_FIRST_BYTE) {
            if (mode == Generator.Mode.FLOOR && !mediaReady) {
                crypto = MediaCrypto.plain(gen.rtpOverhead(), gen.rtcpOverhead());
                onMediaReady();
            }
        } else if (first >= 128 && first <= 191 && len >= 12) {
            MediaCrypto c = crypto;
            if (c == null) {
                foreignPackets++;
                return;
            }
            int second = b[off + 1] & 0xFF;
            if (second >= 192 && second <= 223) {
                if (c.unprotectRtcp(p)) {
                    rtcpReceived++;
                    onRtcp(b, p.offset(), p.length(), rxNanos);
                } else {
                    rtcpUnprotectFailures++;
                }
            } else if (c.unprotectRtp(p)) {
                onRtp(b, p.offset(), p.length(), rxNanos, l);
            } else {
                rtpUnprotectFailures++;
            }
        } else {
            foreignPackets++;
        }
    }

    private void onRtp(byte[] b, int off, int len, long rxNanos, ReceiveLoop l) {
        int headerLength = RtpHeader.headerLength(b, off, len);
        if (headerLength < 0) {
            rtpUnprotectFailures++;
            return;
        }
        rtpReceived++;
        int ssrc = (int) RtpHeader.ssrc(b, off);
        RxStream s = rx.get(ssrc);
        if (s == null) {
            s = new RxStream(ssrc & 0xFFFFFFFFL, gen.streamInfo(ssrc & 0xFFFFFFFFL));
            rx.put(ssrc, s);
            RxStream[] list = Arrays.copyOf(rxList, rxList.length + 1);
            list[list.length - 1] = s;
            rxList = list;
        }
        s.packets++;
        s.bytes += len;
        int seq = RtpHeader.sequenceNumber(b, off);
        int result = s.seq.record(seq);
        int end = off + len;
        boolean retransmission = false;
        if (Probe.present(b, off + headerLength, end)) {
            retransmission = (Probe.flags(b, end) & Probe.FLAG_RETRANSMISSION) != 0;
            if (retransmission) {
                s.retransmissionsReceived++;
            } else if (result != SeqTracker.DUPLICATE && l.measuring) {
                l.histogram.record(rxNanos - Probe.sendNanos(b, end));
            }
        }
        if (tFirstMedia == 0) {
            tFirstMedia = rxNanos;
        }
        if (!retransmission) {
            s.updateJitter(rxNanos, RtpHeader.timestamp(b, off));
        }
        if (s.video) {
            if (result == SeqTracker.IN_ORDER && s.seq.gapLength() > 0 && sc.nack()
                    && rxNanos - s.lastNackNanos >= 20 * MS) {
                // NACK each gap once, at most 50 NACK messages per second and stream
                s.lastNackNanos = rxNanos;
                feedbackOut.offer(new long[] {0, s.ssrc, s.seq.gapStart() & 0xFFFF,
                        Math.min(MAX_NACK, s.seq.gapLength())});
            }
            int key = Vp8.keyFrameStart(b, off + headerLength, len - headerLength - Probe.LENGTH);
            if (key < 0) {
                s.vp8Errors++;
            } else if (key == 1) {
                s.keyFrames++;
                s.waitingKeyFrame = false;
            } else if (s.waitingKeyFrame && rxNanos - s.lastPliNanos > PLI_INTERVAL) {
                // A decoder that joined mid-stream asks for a key frame, like a browser does.
                s.lastPliNanos = rxNanos;
                feedbackOut.offer(new long[] {1, s.ssrc});
            }
        }
    }

    private void onRtcp(byte[] b, int off, int len, long rxNanos) {
        int pos = off;
        int end = off + len;
        while (end - pos >= 8) {
            int plen = Rtcp.packetLength(b, pos);
            if (plen > end - pos || (b[pos] & 0xC0) != 0x80) {
                return;
            }
            int type = Rtcp.packetType(b, pos);
            int fmt = Rtcp.countOrFormat(b, pos);
            if (type == Rtcp.SR && plen >= 28) {
                RxStream s = rx.get((int) Bytes.u32(b, pos + 4));
                if (s != null) {
                    s.lastSrNtpMiddle = (Bytes.u64(b, pos + 8) >>> 16) & 0xFFFFFFFFL;
                    s.lastSrArrivalNanos = rxNanos;
                }
            } else if (type == Rtcp.RTPFB && fmt == Rtcp.FMT_NACK && plen >= 16) {
                int layer = layerOf(Bytes.u32(b, pos + 8));
                if (layer >= 0) {
                    nacksReceived++;
                    Rtcp.walkNack(b, pos, seq -> nackIn.offer(((long) layer << 16) | seq));
                }
            } else if (type == Rtcp.PSFB && fmt == Rtcp.FMT_PLI && plen >= 12) {
                int layer = layerOf(Bytes.u32(b, pos + 8));
                if (layer >= 0) {
                    plisReceived++;
                    keyFrameRequests.getAndUpdate(v -> v | (1 << layer));
                }
            } else if (type == Rtcp.PSFB && fmt == Rtcp.FMT_FIR) {
                for (int p = pos + 12; p + 8 <= pos + plen; p += 8) {
                    int layer = layerOf(Bytes.u32(b, p));
                    if (layer >= 0) {
                        firsReceived++;
                        keyFrameRequests.getAndUpdate(v -> v | (1 << layer));
                    }
                }
            }
            pos += plen;
        }
    }

    private int layerOf(long ssrc) {
        for (VideoLayer layer : layers) {
            if (layer.ssrc == ssrc) {
                return layer.layer;
            }
        }
        return -1;
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    synchronized void leave() {
        closed = true;
        gen.sendLoop().remove(this);
        ScheduledFuture<?> t = iceTask;
        if (t != null) {
            t.cancel(false);
        }
        if (ws != null) {
            ws.send(SignalingClient.message("leave"));
            ws.close();
        }
        DtlsSession session = dtls;
        if (session != null) {
            session.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    String endpointId() {
        return endpointId;
    }

    String lastSignalingError() {
        return lastSignalingError;
    }
}

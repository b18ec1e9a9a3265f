package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.rtcp.CompoundRtcp;
import dev.switchboard.core.rtcp.RtcpPacket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Helpers for conference tests without transports: packets and tasks are fed on the media loop directly. */
final class TestConferences {
    private TestConferences() {}

    /** A factory that creates no ICE/DTLS: every endpoint gets the same dummy transport description. */
    static RoutedConference.EndpointFactory noTransports() {
        TransportDescription dummy = new TransportDescription(new IceParameters("u", "p"), List.of(),
                List.of(new Fingerprint("sha-256", "00")), DtlsRole.SERVER);
        return new RoutedConference.EndpointFactory() {
            @Override
            public TransportDescription connect(BridgeEndpoint endpoint) {
                return dummy;
            }

            @Override
            public TransportDescription restartIce(BridgeEndpoint endpoint, IceParameters remoteIce,
                    List<IceCandidate> candidates) {
                return dummy;
            }
        };
    }

    /** A remote transport description for endpoint {@code id}. */
    static TransportDescription remote(String id) {
        return new TransportDescription(new IceParameters("r" + id, "p"), List.of(),
                List.of(new Fingerprint("sha-256", "00")), DtlsRole.CLIENT);
    }

    /** Adds endpoint {@code id} and applies its media description (no transports here to do it). */
    static void addEndpoint(RoutedConference conference, String id, dev.switchboard.core.api.MediaDescription media)
            throws Exception {
        conference.addEndpoint(new dev.switchboard.core.api.EndpointRequest(id, remote(id), media, event -> { }))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        conference.updateMedia(id, media);
    }

    static BridgeEndpoint endpoint(RoutedConference conference, String id) {
        for (BridgeEndpoint e : conference.endpointsSnapshot()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no endpoint " + id);
    }

    static byte[] compound(RtcpPacket... packets) {
        List<RtcpPacket> list = List.of(packets);
        byte[] out = new byte[CompoundRtcp.length(list)];
        CompoundRtcp.serialize(list, out, 0);
        return out;
    }

    /** What the bridge sent an endpoint: the bytes before SRTP, and whether they were RTCP. */
    interface Capture {
        void sent(byte[] bytes, boolean rtcp);
    }

    /** Marks endpoints connected without transports; what the bridge sends each goes to its capture. */
    static void connectForTesting(RoutedConference conference, java.util.Map<String, Capture> captures)
            throws Exception {
        onLoop(conference.loop(), () -> captures.forEach((id, capture) -> endpoint(conference, id)
                .connectForTesting((packet, rtcp) -> capture.sent(java.util.Arrays.copyOfRange(packet.array(),
                        packet.offset(), packet.offset() + packet.length()), rtcp))));
    }

    /** Closes the conference and its loop; fails when a pooled buffer was not released. */
    static void close(RoutedConference conference, PacketPool pool) {
        conference.close();
        conference.loop().close();
        org.junit.jupiter.api.Assertions.assertEquals(0, pool.outstanding(),
                "buffers leaked (retransmission caches must be released)");
    }

    /** Feeds a decrypted RTP packet from {@code from} on the loop, as arrived at {@code receivedAt}. */
    static void rtp(RoutedConference conference, PacketPool pool, String from, byte[] bytes, long receivedAt)
            throws Exception {
        feed(conference, pool, bytes, receivedAt, packet -> endpoint(conference, from).onRtp(packet));
    }

    /** Feeds a decrypted RTCP compound from {@code from} on the loop, as arrived at {@code receivedAt}. */
    static void rtcp(RoutedConference conference, PacketPool pool, String from, byte[] bytes, long receivedAt)
            throws Exception {
        feed(conference, pool, bytes, receivedAt, packet -> conference.rtcp().onRtcp(endpoint(conference, from),
                packet));
    }

    private static void feed(RoutedConference conference, PacketPool pool, byte[] bytes, long receivedAt,
            java.util.function.Consumer<PacketBuffer> handler) throws Exception {
        onLoop(conference.loop(), () -> {
            PacketBuffer packet = pool.acquire();
            try {
                packet.copyFrom(bytes, 0, bytes.length);
                packet.setReceivedAtNanos(receivedAt);
                handler.accept(packet);
            } finally {
                packet.release();
            }
        });
    }

    static void onLoop(MediaLoop loop, Runnable task) throws Exception {
        onLoop(loop, () -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} on the loop and returns its result (its exception or assertion failure is rethrown). */
    static <T> T onLoop(MediaLoop loop, Callable<T> task) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Object[] result = new Object[1];
        loop.execute(() -> {
            try {
                result[0] = task.call();
            } catch (Exception | AssertionError e) {
                result[0] = e;
            } finally {
                done.countDown();
            }
        });
        assertTrue(done.await(5, TimeUnit.SECONDS), "media loop stuck");
        if (result[0] instanceof Exception e) {
            throw e;
        }
        if (result[0] instanceof AssertionError e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}

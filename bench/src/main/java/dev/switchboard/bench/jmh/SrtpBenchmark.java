package dev.switchboard.bench.jmh;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.buffer.PacketPool;
import dev.switchboard.core.transport.dtls.SrtpKeys;
import dev.switchboard.core.transport.dtls.SrtpProfile;
import dev.switchboard.core.transport.srtp.SrtpSession;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Protect + unprotect of one 1200-byte RTP packet (12-byte header, 1188-byte payload) per profile, as the media
 * loop does it: in place in a pooled {@link PacketBuffer}, one sending and one receiving {@link SrtpSession}
 * built from mirrored keys, a new sequence number per operation (the replay checks refuse repeats).
 *
 * <p>Run with allocation profiling (bytes/op is what matters on a busy machine; ns/op is noisy):
 * <pre>java -cp bench/target/switchboard-bench.jar org.openjdk.jmh.Main SrtpBenchmark -prof gc</pre>
 * {@code aes} selects jitsi-srtp's AES factory for the fork (system property {@code switchboard.srtp.aes},
 * read before the first session exists; the default is what the bridge uses).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SrtpBenchmark {
    private static final int PACKET = 1200;
    private static final int SSRC = 0x11223344;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    /** A jitsi-srtp AES factory name, or "default" for the bridge's own choice. */
    @Param({"default"})
    public String aes;

    private final PacketPool pool = new PacketPool(2);
    private final byte[] plain = new byte[PACKET];
    private SrtpSession sender;
    private SrtpSession receiver;
    private PacketBuffer buffer;
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        if (!"default".equals(aes)) {
            System.setProperty("switchboard.srtp.aes", aes);
        }
        Random random = new Random(42);
        byte[] localKey = new byte[profile.keyLength()];
        byte[] localSalt = new byte[profile.saltLength()];
        byte[] remoteKey = new byte[profile.keyLength()];
        byte[] remoteSalt = new byte[profile.saltLength()];
        random.nextBytes(localKey);
        random.nextBytes(localSalt);
        random.nextBytes(remoteKey);
        random.nextBytes(remoteSalt);
        SrtpKeys keys = new SrtpKeys(profile, localKey, localSalt, remoteKey, remoteSalt);
        sender = new SrtpSession(keys);
        receiver = new SrtpSession(keys.mirrored());
        random.nextBytes(plain);
        plain[0] = (byte) 0x80; // V=2, no padding, no extension, no CSRC
        plain[1] = 96;
        plain[8] = (byte) (SSRC >>> 24);
        plain[9] = (byte) (SSRC >>> 16);
        plain[10] = (byte) (SSRC >>> 8);
        plain[11] = (byte) SSRC;
        buffer = pool.acquire();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buffer.release();
        sender.close();
        receiver.close();
        if (sender.authFailures() + receiver.authFailures() + receiver.replayDrops() + sender.otherFailures()
                + receiver.otherFailures() != 0) {
            throw new IllegalStateException("SRTP failures during the benchmark");
        }
    }

    @Benchmark
    public boolean protectUnprotect() {
        int s = ++seq;
        byte[] b = buffer.array();
        int off = buffer.start();
        System.arraycopy(plain, 0, b, off, PACKET);
        b[off + 2] = (byte) (s >>> 8);
        b[off + 3] = (byte) s;
        b[off + 4] = (byte) (s >>> 24); // RTP timestamp: any value
        buffer.setOffsetAndLength(off, PACKET);
        if (!sender.protectRtp(buffer) || !receiver.unprotectRtp(buffer)) {
            throw new IllegalStateException("SRTP round trip failed at " + s);
        }
        return true;
    }
}

package dev.switchboard.bench.jmh;

import dev.switchboard.bench.proto.Sdp;
import dev.switchboard.core.api.DtlsRole;
import dev.switchboard.core.api.Fingerprint;
import dev.switchboard.core.api.IceCandidate;
import dev.switchboard.core.api.IceParameters;
import dev.switchboard.core.api.TransportDescription;
import dev.switchboard.signaling.protocol.ClientMessage;
import dev.switchboard.signaling.protocol.MessageCodec;
import dev.switchboard.signaling.protocol.ServerMessage;
import dev.switchboard.signaling.sdp.AnswerBuilder;
import dev.switchboard.signaling.sdp.Offer;
import dev.switchboard.signaling.sdp.SendTrack;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The signaling loop's work for one offer in a room of {@code participants}, the steps of a join wave: the offer
 * message as it arrives (JSON text with the SDP of one send section and a receive-only section per other
 * participant, as the load generator's participants write it), decoded, parsed, answered and encoded.
 *
 * <pre>java -cp bench/target/switchboard-bench.jar org.openjdk.jmh.Main OfferAnswerBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OfferAnswerBenchmark {
    @Param({"10", "50"})
    public int participants;

    private String offerMessage;
    private String offerSdp;
    private Offer offer;
    private Map<String, SendTrack> tracks;
    private TransportDescription bridge;
    private String answerSdp;

    @Setup
    public void setUp() throws Exception {
        Sdp.Transport transport = new Sdp.Transport("abcd", "0123456789abcdef01234567",
                "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
                "127.0.0.1", 50000);
        Sdp.SendTrack audio = new Sdp.SendTrack("audio", new long[] {11111}, "cname-x", "stream-x", "track-x");
        offerSdp = Sdp.offer(42, 2, transport, audio, null,
                Collections.nCopies(participants - 1, "audio"));
        offerMessage = new JsonObject().put("type", "offer").put("sdp", offerSdp).encode();
        offer = Offer.parse(offerSdp);
        tracks = new HashMap<>();
        for (int i = 1; i < participants; i++) {
            tracks.put(Integer.toString(i), new SendTrack(20000 + i, "cname-" + i, "ep" + i, "ep" + i + "-a-0"));
        }
        bridge = new TransportDescription(new IceParameters("brdg", "bridgepassword0123456789"),
                List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 10000, "host", null, 0, null)),
                List.of(new Fingerprint("sha-256",
                        "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF")),
                DtlsRole.SERVER);
        answerSdp = answer();
    }

    /** Jackson reads the offer message (the SDP is one JSON string full of escapes). */
    @Benchmark
    public ClientMessage decode() {
        return MessageCodec.decode(offerMessage);
    }

    @Benchmark
    public Offer parse() throws Exception {
        return Offer.parse(offerSdp);
    }

    @Benchmark
    public String answer() {
        return AnswerBuilder.build(offer, tracks, bridge, 7, 3).toString();
    }

    /** The answer message's wire form. */
    @Benchmark
    public String encode() {
        return new ServerMessage.Answer(answerSdp).toJson().encode();
    }
}

package dev.switchboard.core.api;

import java.util.List;
import java.util.Map;

/**
 * All media sources one endpoint currently sends, and the RTP header extension ids (RFC 8285) it negotiated
 * that the bridge reads or writes. The ids are the endpoint's own (one id space per BUNDLE transport) and count
 * both ways: the bridge reads them in what the endpoint sends, and writes packets forwarded to the endpoint with
 * them, keeping only the extensions negotiated here (audio level, transport-wide sequence number, abs-send-time,
 * video orientation), each under this endpoint's id.
 *
 * @param sources                   the sources
 * @param audioLevelExtensionId     id of the client-to-mixer audio level (RFC 6464), or 0 when not
 *                                  negotiated; it drives dominant speaker detection, and forwarded audio
 *                                  keeps its level only when the receiver negotiated it
 * @param transportCcExtensionId    id of transport-wide sequence numbers
 *                                  (draft-holmer-rmcat-transport-wide-cc-extensions-01), or 0 when not
 *                                  negotiated; the bridge then sends transport-cc feedback to this endpoint,
 *                                  and numbers what it sends the endpoint with its own transport-wide sequence
 *                                  (one counter per endpoint), whose feedback drives the bandwidth estimate
 *                                  toward it
 * @param midExtensionId            id of {@code urn:ietf:params:rtp-hdrext:sdes:mid} (RFC 8843), or 0; the
 *                                  bridge reads it to tell simulcast sources apart and strips it from what it
 *                                  forwards
 * @param ridExtensionId            id of {@code urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id} (RFC 8852), or
 *                                  0; it names the simulcast layer of a packet whose SSRC is not known yet
 *                                  (stripped from forwarded packets too)
 * @param receiveRtxPayloadTypes    what the endpoint receives: media payload type to the RTX payload type
 *                                  (RFC 4588, {@code apt}) it accepts retransmissions of it in; the bridge answers
 *                                  its NACKs with RTX for sources that have an RTX stream (empty: plain
 *                                  retransmissions)
 * @param repairedRidExtensionId    id of {@code urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id} (RFC
 *                                  8852), or 0: names the simulcast layer an RTX stream repairs (stripped from
 *                                  forwarded packets too)
 * @param sendRtxPayloadTypes       what the endpoint sends: RTX payload type (RFC 4588) to the media payload
 *                                  type it repairs ({@code apt}); the bridge turns the endpoint's RTX packets of
 *                                  simulcast layers and of single-stream video ({@link MediaSource#rtxSsrc()}) back
 *                                  into the originals (empty: it sends no RTX)
 * @param absSendTimeExtensionId    id of {@code http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time}, or 0:
 *                                  passed through (with this id) on packets forwarded to the endpoint
 * @param videoOrientationExtensionId id of {@code urn:3gpp:video-orientation}, or 0: passed through likewise
 * @param videoPayloadTypes         the video payload types negotiated with the endpoint (the numbers of its offer,
 *                                  which count both ways) and their codecs: what it sends is read by the codec of
 *                                  its payload type (simulcast layer switches need VP8 or H.264), and it is sent
 *                                  only video whose payload type it negotiated for the same codec. Empty: the
 *                                  endpoint is sent all video, and simulcast from it never switches (no codec known)
 */
public record MediaDescription(List<MediaSource> sources, int audioLevelExtensionId, int transportCcExtensionId,
        int midExtensionId, int ridExtensionId, Map<Integer, Integer> receiveRtxPayloadTypes,
        int repairedRidExtensionId, Map<Integer, Integer> sendRtxPayloadTypes, int absSendTimeExtensionId,
        int videoOrientationExtensionId, Map<Integer, VideoCodec> videoPayloadTypes) {
    public static final MediaDescription NONE = new MediaDescription(List.of());

    public MediaDescription {
        sources = List.copyOf(sources);
        checkId(audioLevelExtensionId);
        checkId(transportCcExtensionId);
        checkId(midExtensionId);
        checkId(ridExtensionId);
        checkId(repairedRidExtensionId);
        checkId(absSendTimeExtensionId);
        checkId(videoOrientationExtensionId);
        checkDistinct(audioLevelExtensionId, transportCcExtensionId, midExtensionId, ridExtensionId,
                repairedRidExtensionId, absSendTimeExtensionId, videoOrientationExtensionId);
        receiveRtxPayloadTypes = Map.copyOf(receiveRtxPayloadTypes);
        sendRtxPayloadTypes = Map.copyOf(sendRtxPayloadTypes);
        checkPayloadTypes(receiveRtxPayloadTypes);
        checkPayloadTypes(sendRtxPayloadTypes);
        videoPayloadTypes = Map.copyOf(videoPayloadTypes);
        videoPayloadTypes.keySet().forEach(pt -> {
            if (pt < 0 || pt > 127) {
                throw new IllegalArgumentException("payload type out of range: " + pt);
            }
        });
    }

    /** Without video payload types. */
    public MediaDescription(List<MediaSource> sources, int audioLevelExtensionId, int transportCcExtensionId,
            int midExtensionId, int ridExtensionId, Map<Integer, Integer> receiveRtxPayloadTypes,
            int repairedRidExtensionId, Map<Integer, Integer> sendRtxPayloadTypes, int absSendTimeExtensionId,
            int videoOrientationExtensionId) {
        this(sources, audioLevelExtensionId, transportCcExtensionId, midExtensionId, ridExtensionId,
                receiveRtxPayloadTypes, repairedRidExtensionId, sendRtxPayloadTypes, absSendTimeExtensionId,
                videoOrientationExtensionId, Map.of());
    }

    /** This description with the given video payload types. */
    public MediaDescription withVideoPayloadTypes(Map<Integer, VideoCodec> payloadTypes) {
        return new MediaDescription(sources, audioLevelExtensionId, transportCcExtensionId, midExtensionId,
                ridExtensionId, receiveRtxPayloadTypes, repairedRidExtensionId, sendRtxPayloadTypes,
                absSendTimeExtensionId, videoOrientationExtensionId, payloadTypes);
    }

    /** Without abs-send-time and video orientation. */
    public MediaDescription(List<MediaSource> sources, int audioLevelExtensionId, int transportCcExtensionId,
            int midExtensionId, int ridExtensionId, Map<Integer, Integer> receiveRtxPayloadTypes,
            int repairedRidExtensionId, Map<Integer, Integer> sendRtxPayloadTypes) {
        this(sources, audioLevelExtensionId, transportCcExtensionId, midExtensionId, ridExtensionId,
                receiveRtxPayloadTypes, repairedRidExtensionId, sendRtxPayloadTypes, 0, 0);
    }

    /** Without RTX from the endpoint. */
    public MediaDescription(List<MediaSource> sources, int audioLevelExtensionId, int transportCcExtensionId,
            int midExtensionId, int ridExtensionId, Map<Integer, Integer> receiveRtxPayloadTypes) {
        this(sources, audioLevelExtensionId, transportCcExtensionId, midExtensionId, ridExtensionId,
                receiveRtxPayloadTypes, 0, Map.of());
    }

    private static void checkPayloadTypes(Map<Integer, Integer> map) {
        map.forEach((a, b) -> {
            if (a < 0 || a > 127 || b < 0 || b > 127) {
                throw new IllegalArgumentException("payload type out of range: " + a + " -> " + b);
            }
        });
    }

    /** Without RTX toward the endpoint. */
    public MediaDescription(List<MediaSource> sources, int audioLevelExtensionId, int transportCcExtensionId,
            int midExtensionId, int ridExtensionId) {
        this(sources, audioLevelExtensionId, transportCcExtensionId, midExtensionId, ridExtensionId, Map.of());
    }

    /** Without the simulcast header extensions. */
    public MediaDescription(List<MediaSource> sources, int audioLevelExtensionId, int transportCcExtensionId) {
        this(sources, audioLevelExtensionId, transportCcExtensionId, 0, 0);
    }

    /** Sources without header extensions the bridge reads. */
    public MediaDescription(List<MediaSource> sources) {
        this(sources, 0, 0);
    }

    private static void checkDistinct(int... ids) {
        for (int i = 0; i < ids.length; i++) {
            for (int j = i + 1; j < ids.length; j++) {
                if (ids[i] != 0 && ids[i] == ids[j]) {
                    throw new IllegalArgumentException("header extension id " + ids[i] + " given twice");
                }
            }
        }
    }

    private static void checkId(int id) {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("header extension id out of range: " + id);
        }
    }
}

package dev.switchboard.core.transport.srtp;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.transport.dtls.SrtpKeys;
import dev.switchboard.core.transport.dtls.SrtpProfile;
import io.netty.util.collection.IntObjectHashMap;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SRTP/SRTCP protection for one peer (RFC 3711; AEAD_AES_128_GCM per RFC 7714), built from DTLS-SRTP keys
 * (RFC 5764 section 4.2): packets we send are protected with the local key and salt, packets we receive
 * are unprotected with the remote ones.
 *
 * <p>Every method works in place on a {@link PacketBuffer}: protection appends the tag (and the SRTCP
 * index) in the buffer's tail room, unprotection shortens the length. They return {@code false}, never
 * throw, on authentication failure, replay (RFC 3711 section 3.3.2), malformed input or lack of tail
 * room; on failure the buffer's offset and length are restored but its bytes are unspecified (drop it).
 *
 * <p>Crypto contexts are derived per SSRC at first use (RFC 3711 section 3.2.3). A receiving context is
 * kept only once a packet authenticated with it, so forged SSRCs cost a key derivation but no memory; at
 * most {@value #MAX_CONTEXTS} are kept per direction and kind.
 *
 * <p><b>Not thread-safe.</b> A session is confined to one thread, the media loop that owns the endpoint.
 */
public final class SrtpSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SrtpSession.class);
    /** jitsi-srtp logs through jitsi-utils; this adapter writes to SLF4J and makes no per-context children. */
    private static final org.jitsi.utils.logging2.Logger JITSI_LOGGER =
            new JitsiLogger(LoggerFactory.getLogger("org.jitsi.srtp"));
    /** Contexts kept per map (sending/receiving RTP/RTCP). */
    public static final int MAX_CONTEXTS = 512;
    /** SRTCP appends the E flag and 31-bit index (RFC 3711 section 3.4). */
    private static final int SRTCP_INDEX_LENGTH = 4;

    private final SrtpProfile profile;
    private final int tagLength;
    private final SrtpContextFactory senderFactory;
    /** The policy of {@link #senderFactory}'s RTP contexts, which read it on every packet. */
    private final SrtpPolicy senderRtpPolicy;
    private final boolean sendReplayCheck;
    private final SrtpContextFactory receiverFactory;
    private final IntObjectHashMap<SrtpCryptoContext> rtpSenders = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtpCryptoContext> rtpReceivers = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpSenders = new IntObjectHashMap<>();
    private final IntObjectHashMap<SrtcpCryptoContext> rtcpReceivers = new IntObjectHashMap<>();
    private final PacketBufferAdapter adapter = new PacketBufferAdapter();
    private boolean closed;

    private long authFailures;
    private long replayDrops;
    private long malformedDrops;
    private long otherFailures;

    /**
     * Pins and prepares jitsi-srtp's AES implementation now (a second or so, once per process), so that the
     * first SRTP packet of the first call does not pay it on a media loop. Idempotent.
     */
    public static void prepareCrypto() {
        AesProvider.pin();
    }

    public SrtpSession(SrtpKeys keys) {
        Objects.requireNonNull(keys, "keys");
        AesProvider.pin();
        this.profile = keys.profile();
        SrtpPolicy rtpPolicy = policy(profile);
        SrtpPolicy rtcpPolicy = policy(profile);
        // HMAC-SHA1-80 tag (RFC 3711 section 4.2) or GCM tag (RFC 7714 section 8.1): 10 or 16 bytes
        this.tagLength = rtpPolicy.getAuthTagLength();
        this.senderFactory = new SrtpContextFactory(true, keys.localKey(), keys.localSalt(), rtpPolicy,
                rtcpPolicy, JITSI_LOGGER);
        this.senderRtpPolicy = rtpPolicy;
        this.sendReplayCheck = rtpPolicy.isSendReplayEnabled();
        this.receiverFactory = new SrtpContextFactory(false, keys.remoteKey(), keys.remoteSalt(),
                policy(profile), policy(profile), JITSI_LOGGER);
    }

    /** The jitsi-srtp policy for a profile (RFC 5764 section 4.1.2, RFC 7714 section 14.2). */
    static SrtpPolicy policy(SrtpProfile profile) {
        return switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        };
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Bytes SRTP adds to an RTP packet (the authentication tag). */
    public int rtpOverhead() {
        return tagLength;
    }

    /** Bytes SRTCP adds to an RTCP packet (tag plus E flag and index). */
    public int rtcpOverhead() {
        return tagLength + SRTCP_INDEX_LENGTH;
    }

    /**
     * RTP to SRTP in place (RFC 3711 section 3.3). A packet whose index this session already protected, or one
     * older than the 64-packet window, is refused (jitsi-srtp's send-side replay check, a guard against
     * encrypting two packets under one index); retransmissions go through {@link #protectRtpRetransmission}.
     */
    public boolean protectRtp(PacketBuffer p) {
        return protectRtp(p, false);
    }

    /**
     * RTP to SRTP in place for a retransmission: a packet this session may have protected before, passed again
     * with the very same bytes (e.g. from a retransmission cache in answer to a NACK, same SSRC and sequence
     * number, RFC 4585 without RTX). The send-side replay check is skipped for it, so old and already-sent
     * indexes are accepted; protecting identical bytes under the same index yields the identical SRTP packet,
     * so no keystream (AES-CM) or GCM nonce is ever used for two different plaintexts, provided callers only
     * pass unchanged packets. The index (ROC) comes from the same context as the original's.
     */
    public boolean protectRtpRetransmission(PacketBuffer p) {
        return protectRtp(p, true);
    }

    private boolean protectRtp(PacketBuffer p, boolean retransmission) {
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length();
        if (closed || RtpHeaders.rtpHeaderLength(b, off, len) < 0 || p.tailRoom() < tagLength) {
            malformedDrops++;
            return false;
        }
        int ssrc = RtpHeaders.rtpSsrc(b, off);
        try {
            SrtpCryptoContext context = rtpSenders.get(ssrc);
            if (context == null) {
                if (rtpSenders.size() >= MAX_CONTEXTS) {
                    otherFailures++;
                    return false;
                }
                context = senderFactory.deriveContext(ssrc, 0);
                rtpSenders.put(ssrc, context);
            }
            if (retransmission) {
                senderRtpPolicy.setSendReplayEnabled(false); // session-owned policy, one thread: safe to toggle
            }
            return check(context.transformPacket(adapter.wrap(p)), p, off, len);
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(e, p, off, len);
        } finally {
            if (retransmission) {
                senderRtpPolicy.setSendReplayEnabled(sendReplayCheck);
            }
            adapter.clear();
        }
    }

    /** SRTP to RTP in place (RFC 3711 section 3.3): authentication, replay check, decryption. */
    public boolean unprotectRtp(PacketBuffer p) {
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length();
        int headerLength = RtpHeaders.rtpHeaderLength(b, off, len);
        if (closed || headerLength < 0 || headerLength + tagLength > len) {
            malformedDrops++;
            return false;
        }
        int ssrc = RtpHeaders.rtpSsrc(b, off);
        try {
            SrtpCryptoContext context = rtpReceivers.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (rtpReceivers.size() >= MAX_CONTEXTS) {
                    otherFailures++;
                    return false;
                }
                context = receiverFactory.deriveContext(ssrc, 0);
            }
            boolean ok = check(context.reverseTransformPacket(adapter.wrap(p), false), p, off, len);
            if (ok && fresh) {
                rtpReceivers.put(ssrc, context);
            }
            return ok;
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(e, p, off, len);
        } finally {
            adapter.clear();
        }
    }

    /** RTCP to SRTCP in place (RFC 3711 section 3.4); the whole compound packet is encrypted. */
    public boolean protectRtcp(PacketBuffer p) {
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length();
        if (closed || !RtpHeaders.isRtcp(b, off, len) || p.tailRoom() < tagLength + SRTCP_INDEX_LENGTH) {
            malformedDrops++;
            return false;
        }
        int ssrc = RtpHeaders.rtcpSenderSsrc(b, off);
        try {
            SrtcpCryptoContext context = rtcpSenders.get(ssrc);
            if (context == null) {
                if (rtcpSenders.size() >= MAX_CONTEXTS) {
                    otherFailures++;
                    return false;
                }
                context = senderFactory.deriveControlContext(ssrc);
                rtcpSenders.put(ssrc, context);
            }
            return check(context.transformPacket(adapter.wrap(p)), p, off, len);
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(e, p, off, len);
        } finally {
            adapter.clear();
        }
    }

    /** SRTCP to RTCP in place (RFC 3711 section 3.4). */
    public boolean unprotectRtcp(PacketBuffer p) {
        byte[] b = p.array();
        int off = p.offset();
        int len = p.length();
        if (closed || !RtpHeaders.isRtcp(b, off, len)
                || len < RtpHeaders.RTCP_HEADER + SRTCP_INDEX_LENGTH + tagLength) {
            malformedDrops++;
            return false;
        }
        int ssrc = RtpHeaders.rtcpSenderSsrc(b, off);
        try {
            SrtcpCryptoContext context = rtcpReceivers.get(ssrc);
            boolean fresh = context == null;
            if (fresh) {
                if (rtcpReceivers.size() >= MAX_CONTEXTS) {
                    otherFailures++;
                    return false;
                }
                context = receiverFactory.deriveControlContext(ssrc);
            }
            boolean ok = check(context.reverseTransformPacket(adapter.wrap(p)), p, off, len);
            if (ok && fresh) {
                rtcpReceivers.put(ssrc, context);
            }
            return ok;
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(e, p, off, len);
        } finally {
            adapter.clear();
        }
    }

    /** Packets rejected because their tag did not verify. */
    public long authFailures() {
        return authFailures;
    }

    /** Packets rejected as replayed or too old for the replay window. */
    public long replayDrops() {
        return replayDrops;
    }

    /** Packets rejected before any crypto: not RTP/RTCP v2, truncated, or without tail room. */
    public long malformedDrops() {
        return malformedDrops;
    }

    /** Other failures (crypto errors, too many SSRCs). */
    public long otherFailures() {
        return otherFailures;
    }

    /** Forgets all contexts and wipes the master keys; later calls return false. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        senderFactory.close();
        receiverFactory.close();
        rtpSenders.clear();
        rtpReceivers.clear();
        rtcpSenders.clear();
        rtcpReceivers.clear();
    }

    private boolean check(SrtpErrorStatus status, PacketBuffer p, int off, int len) {
        if (status == SrtpErrorStatus.OK) {
            return true;
        }
        switch (status) {
            case AUTH_FAIL -> authFailures++;
            case REPLAY_FAIL, REPLAY_OLD -> replayDrops++;
            case INVALID_PACKET -> malformedDrops++;
            default -> otherFailures++;
        }
        p.setOffsetAndLength(off, len);
        return false;
    }

    private boolean failed(Exception e, PacketBuffer p, int off, int len) {
        otherFailures++;
        LOG.debug("SRTP transform failed: {}", e.toString());
        p.setOffsetAndLength(off, len);
        return false;
    }
}

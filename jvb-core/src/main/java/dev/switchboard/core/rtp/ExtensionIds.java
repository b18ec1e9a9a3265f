package dev.switchboard.core.rtp;

import java.util.Arrays;

/**
 * The RTP header extension ids (RFC 8285) one endpoint negotiated for the extensions the bridge forwards, and
 * the translation of a packet's extensions from one endpoint's ids to another's ({@link #translate}).
 *
 * <p>Each endpoint has its own id space (one per BUNDLE transport): the same extension may have id 3 on the
 * sender's leg and id 5 on a receiver's, or not be negotiated there at all. Forwarded kinds: ssrc-audio-level
 * (RFC 6464), transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01),
 * abs-send-time and video orientation (3GPP TS 26.114 CVO). Anything else a packet carries (mid, rid,
 * repaired-rid, extensions nobody negotiated) is never forwarded. Immutable; allocation-free after construction.
 */
public final class ExtensionIds {
    /** Extension kinds the bridge forwards (indices into {@link #idOf}). */
    public static final int AUDIO_LEVEL = 1;
    public static final int TRANSPORT_CC = 2;
    public static final int ABS_SEND_TIME = 3;
    public static final int VIDEO_ORIENTATION = 4;
    private static final int KINDS = 5;

    /** An endpoint that negotiated none of them. */
    public static final ExtensionIds NONE = new ExtensionIds(0, 0, 0, 0);

    private final int[] idOfKind = new int[KINDS];
    private final byte[] kindOfId = new byte[256];

    /** Ids 1..255 per kind, 0 when not negotiated. Two kinds must not share an id. */
    public ExtensionIds(int audioLevel, int transportCc, int absSendTime, int videoOrientation) {
        set(AUDIO_LEVEL, audioLevel);
        set(TRANSPORT_CC, transportCc);
        set(ABS_SEND_TIME, absSendTime);
        set(VIDEO_ORIENTATION, videoOrientation);
    }

    private void set(int kind, int id) {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("header extension id out of range: " + id);
        }
        if (id == 0) {
            return;
        }
        if (kindOfId[id] != 0) {
            throw new IllegalArgumentException("header extension id " + id + " given to two extensions");
        }
        idOfKind[kind] = id;
        kindOfId[id] = (byte) kind;
    }

    /** The id of {@code kind} on this leg, 0 when not negotiated. */
    public int idOf(int kind) {
        return idOfKind[kind];
    }

    /**
     * Rewrites, in place, the extension block of a packet that arrived with this endpoint's ids into what
     * {@code receiver} negotiated: each element of a forwarded kind gets the receiver's id for it; every other
     * element (another kind, not negotiated by the receiver, or a receiver id the block's form cannot carry:
     * above 14 in the one-byte form) becomes padding (ID 0, RFC 8285 sections 4.2/4.3), so the packet length
     * does not change and nothing is allocated.
     *
     * @return the absolute offset of the transport-wide sequence number's two data bytes when the packet
     *         keeps one (the caller writes the receiver leg's own number there), else -1
     */
    public int translate(HeaderExtensions cursor, byte[] buf, int off, int len, ExtensionIds receiver) {
        if (!cursor.reset(buf, off, len)) {
            return -1;
        }
        int transportCcOffset = -1;
        while (cursor.next()) {
            int kind = kindOfId[cursor.id()];
            int newId = kind == 0 ? 0 : receiver.idOfKind[kind];
            if (kind == TRANSPORT_CC && cursor.dataLength() != 2) {
                newId = 0; // malformed: the draft's element is exactly two bytes
            }
            if (cursor.rewriteId(newId) && kind == TRANSPORT_CC) {
                transportCcOffset = cursor.dataOffset();
            }
        }
        return transportCcOffset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionIds other && Arrays.equals(idOfKind, other.idOfKind);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(idOfKind);
    }

    @Override
    public String toString() {
        return "ExtensionIds[audioLevel=" + idOfKind[AUDIO_LEVEL] + ", transportCc=" + idOfKind[TRANSPORT_CC]
                + ", absSendTime=" + idOfKind[ABS_SEND_TIME] + ", videoOrientation=" + idOfKind[VIDEO_ORIENTATION]
                + "]";
    }
}

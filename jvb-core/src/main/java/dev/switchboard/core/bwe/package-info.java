/**
 * Bandwidth estimation toward receivers: what the bridge sent each receiver, numbered with that receiver's own
 * transport-wide sequence numbers ({@link dev.switchboard.core.bwe.SendHistory}), the transport-cc feedback the
 * receiver returns about those packets ({@link dev.switchboard.core.bwe.TransportCcFeedbackReader}), and a
 * compact GCC-like estimator (draft-ietf-rmcat-gcc-02: delay trend plus loss;
 * {@link dev.switchboard.core.bwe.BandwidthEstimator}). Time comes from values the caller passes (the
 * conference's injected clock); every class is preallocated, allocation-free per packet and per feedback, and
 * confined to one thread (the conference's media loop). Depends on {@code core.rtp} only.
 */
package dev.switchboard.core.bwe;

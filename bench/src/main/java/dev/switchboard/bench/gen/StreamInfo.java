package dev.switchboard.bench.gen;

/** A stream some generator participant sends: who, what kind, which simulcast layer. */
record StreamInfo(int participant, String kind, int layer) {
    static final String AUDIO = "audio";
    static final String VIDEO = "video";
}

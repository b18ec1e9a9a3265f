package dev.switchboard.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes WAV files for Chromium's fake microphone ({@code --use-file-for-fake-audio-capture}, which loops the
 * file): "speech" is a voiced tone (fundamental plus harmonics, slowly gliding pitch) cut into syllables of
 * 180-260 ms with 60-90 ms pauses, so audio levels rise and fall like a voice instead of holding a steady
 * level that a noise floor tracker would discount.
 */
final class SpeechWav {
    private static final int RATE = 48_000;

    private SpeechWav() {}

    static Path speech(Path dir, double seconds) throws IOException {
        int samples = (int) (RATE * seconds);
        short[] pcm = new short[samples];
        int[] syllables = {220, 180, 260, 200, 240};
        int[] pauses = {70, 90, 60, 80, 75};
        int pos = 0;
        int k = 0;
        while (pos < samples) {
            int on = syllables[k % syllables.length] * RATE / 1000;
            int off = pauses[k % pauses.length] * RATE / 1000;
            double f0 = 140 + 40 * Math.sin(k * 0.9);
            for (int i = 0; i < on && pos < samples; i++, pos++) {
                double t = (double) i / RATE;
                double envelope = Math.min(1, Math.min(i, on - i) / (0.015 * RATE)); // 15 ms fades
                double v = 0.5 * Math.sin(2 * Math.PI * f0 * t) + 0.25 * Math.sin(2 * Math.PI * 2 * f0 * t)
                        + 0.12 * Math.sin(2 * Math.PI * 3 * f0 * t) + 0.06 * Math.sin(2 * Math.PI * 5 * f0 * t);
                pcm[pos] = (short) (v * envelope * 0.8 * Short.MAX_VALUE);
            }
            pos += off;
            k++;
        }
        return write(dir.resolve("speech.wav"), pcm);
    }

    private static Path write(Path file, short[] pcm) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(pcm.length * 2);
        for (short s : pcm) {
            b.putShort(s);
        }
        Files.write(file, b.array());
        return file;
    }
}

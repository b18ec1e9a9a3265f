package dev.switchboard.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Named starting points; every field can be overridden on the command line. */
public final class Presets {
    /** Preset name, rooms, participants per room, publishers per room (-1 = all), audio only, description. */
    record Preset(String name, int rooms, int participants, int publishers, boolean audioOnly, String description) {}

    static final Map<String, Preset> ALL = new LinkedHashMap<>();

    static {
        add(new Preset("1to1", 10, 2, -1, false, "10 one-to-one calls (audio + video)"));
        add(new Preset("5-party", 4, 5, -1, false, "4 rooms of 5 (audio + video)"));
        add(new Preset("10-party", 2, 10, -1, false,
                "2 rooms of 10 (audio + video); the standard run and the CPU-per-packet headline"));
        add(new Preset("25-party", 1, 25, -1, false, "one room of 25 (audio + video)"));
        add(new Preset("audio-50", 1, 50, -1, true, "one audio-only room of 50, all joining at once"));
        add(new Preset("throughput", 1, 46, -1, true,
                "one audio-only room of 46 (103,500 forwarded packets/s offered): the sustained-throughput target"));
        add(new Preset("one-to-many", 1, 50, 1, false, "one publisher (audio + video) to 49 subscribers"));
        add(new Preset("smoke", 1, 2, -1, false, "two participants for a few seconds (the test in mvn verify)"));
    }

    private static void add(Preset p) {
        ALL.put(p.name(), p);
    }

    private Presets() {}
}

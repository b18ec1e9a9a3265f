package dev.switchboard.core.packet;

import java.net.InetAddress;
import java.util.List;

/** The remote networks the bridge talks to; everything else is ignored. Immutable. */
public final class AllowedNetworks {
    private final List<Cidr> networks;

    public AllowedNetworks(List<String> cidrs) {
        this.networks = cidrs.stream().map(Cidr::parse).toList();
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("at least one allowed network is required (0.0.0.0/0 for any)");
        }
    }

    public boolean allows(InetAddress address) {
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return networks.toString();
    }
}

package org.reprise.engine.bc;

import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;

/** The per-connection choices Tomcat makes on the engine, frozen when the handshake begins. */
final class EngineOptions {

    final ProtocolVersion[] protocolVersions;
    final int[] cipherSuites;
    final boolean preferServerOrder;
    final Vector<ProtocolName> applicationProtocols;
    final boolean needClientAuth;
    final boolean wantClientAuth;

    EngineOptions(List<String> protocols, List<String> cipherSuites, boolean preferServerOrder,
            List<String> applicationProtocols, boolean needClientAuth, boolean wantClientAuth) {
        this.protocolVersions = protocols.stream()
                .map(EngineOptions::version)
                .sorted((a, b) -> b.isLaterVersionOf(a) ? 1 : a.isLaterVersionOf(b) ? -1 : 0)
                .toArray(ProtocolVersion[]::new);
        this.cipherSuites = cipherSuites.stream().mapToInt(CipherSuites::code).toArray();
        this.preferServerOrder = preferServerOrder;
        this.applicationProtocols = new Vector<>();
        for (String name : applicationProtocols) {
            this.applicationProtocols.add(ProtocolName.asUtf8Encoding(name));
        }
        this.needClientAuth = needClientAuth;
        this.wantClientAuth = wantClientAuth;
    }

    private static ProtocolVersion version(String name) {
        return switch (name) {
            case "TLSv1.3" -> ProtocolVersion.TLSv13;
            case "TLSv1.2" -> ProtocolVersion.TLSv12;
            default -> throw new IllegalArgumentException("Protocol not supported: " + name);
        };
    }
}

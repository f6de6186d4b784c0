package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code openssl s_client} for TLS 1.3 as well as 1.2: when saving a session it stays connected for a moment,
 * because TLS 1.3 tickets arrive after the handshake.
 */
final class SClient {

    private SClient() {
    }

    static OpenSslClient.Result connect(int port, String serverName, Path session, boolean save, String... options)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", serverName, save ? "-sess_out" : "-sess_in", session.toString()));
        command.addAll(List.of(options));
        OpenSslClient.Result result = OpenSslClient.run(command, save ? 700 : 0);
        assertTrue(result.handshakeCompleted(), result.output());
        return result;
    }
}

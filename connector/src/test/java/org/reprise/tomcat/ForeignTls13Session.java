package org.reprise.tomcat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A TLS 1.3 session with a ticket, made by {@code openssl s_server}: something to offer as a PSK. */
final class ForeignTls13Session {

    private ForeignTls13Session() {
    }

    static Path fromOpensslServer(Path dir, TestPki pki) throws Exception {
        Path cert = pki.pem(dir, "foreign", pki.server("localhost", false));
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_3",
                "-cert", cert.toString(), "-key", dir.resolve("foreign.key").toString(), "-naccept", "1", "-quiet")
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        try {
            Path session = dir.resolve("foreign-session.pem");
            for (int attempt = 0; attempt < 50; attempt++) {
                OpenSslClient.Result r = OpenSslClient.run(List.of("openssl", "s_client", "-connect",
                        "127.0.0.1:" + port, "-tls1_3", "-sess_out", session.toString()), 1000);
                if (r.handshakeCompleted() && Files.size(session) > 0) {
                    return session;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            throw new IOException("openssl s_server did not hand out a TLS 1.3 session: "
                    + Files.readString(dir.resolve("s_server.log")));
        } finally {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

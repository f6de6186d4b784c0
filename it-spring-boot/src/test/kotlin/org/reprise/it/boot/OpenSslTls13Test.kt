package org.reprise.it.boot

import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.reprise.tomcat.TestPki

/**
 * `reprise.engine=openssl`: the application's HTTPS port resumes TLS 1.3 sessions, on a JDK 22+ with
 * reprise-connector-openssl next to the starter (this module runs only there: bin/test's second phase).
 */
class OpenSslTls13Test {

    @TempDir
    lateinit var dir: Path

    private val pki = TestPki()

    @Test
    fun tls13ResumesOnTheOpenSslEngine() {
        assumeTrue(Runtime.version().feature() >= 22, "the OpenSSL engine needs Java 22 or later")
        startApplication(pki, dir, "reprise.engine" to "openssl", "reprise.resumption-name" to "boot-openssl")
            .use { app ->
                val port = app.port()
                val session = dir.resolve("tls13.pem")
                val first = sClient(port, session, true, "-tls1_3")
                assertTrue(first.line.startsWith("New, TLSv1.3"), first.output)
                val second = sClient(port, session, false, "-tls1_3")
                assertTrue(second.line.startsWith("Reused, TLSv1.3"), second.output)

                val scrape = Actuator(pki, port).prometheus()
                show("s_client", listOf(first.line, second.line))
                show("/actuator/prometheus", scrape.nonZero("boot-openssl"))
                val connector = "connector" to "boot-openssl"
                assertEquals(1.0, scrape.value("reprise_resumption_hits_total", connector, "mechanism" to "tls13_psk"),
                    scrape.toString())
                assertEquals(1.0, scrape.value("reprise_handshakes_total", connector, "kind" to "resumed",
                    "protocol" to "TLSv1.3"), scrape.toString())
            }
    }
}

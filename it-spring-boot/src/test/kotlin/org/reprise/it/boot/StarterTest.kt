package org.reprise.it.boot

import java.nio.file.Path
import org.apache.coyote.http11.Http11NioProtocol
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.reprise.spring.boot.RepriseConnectors
import org.reprise.tomcat.Http11NioResumptionProtocol
import org.reprise.tomcat.TestPki
import org.springframework.boot.tomcat.TomcatWebServer
import org.springframework.boot.web.server.context.WebServerApplicationContext
import tools.jackson.databind.json.JsonMapper

/**
 * The starter on the default engine (Bouncy Castle), as a developer sees it: the application's HTTPS port resumes
 * TLS 1.2 sessions by ID and by ticket with its SSL bundle's certificate, `/actuator/prometheus` counts them, and
 * the `reprise` endpoint (once allowed) lists and purges sessions and retires ticket keys.
 */
class StarterTest {

    @TempDir
    lateinit var dir: Path

    private val pki = TestPki()
    private val json = JsonMapper.builder().build()

    @Test
    fun tls12ResumesByIdAndByTicketAndPrometheusCountsIt() {
        startApplication(pki, dir, "reprise.resumption-name" to "boot-bc").use { app ->
            val port = app.port()
            val actuator = Actuator(pki, port)
            val before = actuator.prometheus()
            assertEquals(0.0, before.value("reprise_resumption_hits_total", "connector" to "boot-bc",
                "mechanism" to "session_id"), before.toString())

            val byId = dir.resolve("by-id.pem")
            val first = sClient(port, byId, true, "-tls1_2", "-no_ticket")
            assertTrue(first.line.startsWith("New, TLSv1.2"), first.output)
            assertTrue(Regex("subject=\\s*CN\\s*=\\s*localhost").containsMatchIn(first.output),
                "not the SSL bundle's certificate:\n${first.output}")
            assertTrue(first.output.contains("hello from a resuming application"), first.output)
            val again = sClient(port, byId, false, "-tls1_2", "-no_ticket")
            assertTrue(again.reused, again.output)

            val byTicket = dir.resolve("by-ticket.pem")
            assertFalse(sClient(port, byTicket, true, "-tls1_2").reused)
            val resumedByTicket = sClient(port, byTicket, false, "-tls1_2")
            assertTrue(resumedByTicket.reused, resumedByTicket.output)

            val after = actuator.prometheus()
            show("s_client", listOf(first, again, resumedByTicket).map { it.line })
            show("/actuator/prometheus", after.nonZero("boot-bc"))
            val connector = "connector" to "boot-bc"
            assertEquals(1.0, after.value("reprise_resumption_hits_total", connector, "mechanism" to "session_id"),
                after.toString())
            assertEquals(1.0, after.value("reprise_resumption_hits_total", connector, "mechanism" to "ticket"),
                after.toString())
            assertEquals(2.0, after.value("reprise_handshakes_total", connector, "kind" to "resumed",
                "protocol" to "TLSv1.2"), after.toString())
            assertEquals(1.0, after.value("reprise_resumption_requested_total", connector, "mechanism" to "ticket"),
                after.toString())
            assertEquals(0.0, after.value("reprise_resumption_misses_total", connector, "reason" to "unknown"),
                after.toString())
        }
    }

    @Test
    fun theEndpointPurgesASessionAndItsNextOfferIsAFullHandshake() {
        startApplication(pki, dir, "reprise.resumption-name" to "boot-purge",
            "management.endpoint.reprise.access" to "unrestricted").use { app ->
            val port = app.port()
            val actuator = Actuator(pki, port)
            val session = dir.resolve("session.pem")
            val id = sClient(port, session, true, "-tls1_2", "-no_ticket").sessionId
            assertTrue(sClient(port, session, false, "-tls1_2", "-no_ticket").reused, "resumes before the purge")

            val listed = actuator.get("/actuator/reprise/boot-purge?protocol=TLSv1.2&sort=last_resumed&limit=10")
            assertEquals(200, listed.statusCode(), listed.body())
            val detail = json.readTree(listed.body())
            assertEquals(listOf(id), detail.path("sessions").path("sessions").values().map { it.path("id").asString() },
                listed.body())
            assertEquals(1, detail.path("ticketKeys").values().count { it.path("encrypting").asBoolean() }, listed.body())

            val purged = actuator.delete("/actuator/reprise/boot-purge/sessions/$id")
            assertEquals(200, purged.statusCode(), purged.body())
            assertEquals(1, json.readTree(purged.body()).path("purged").asInt(), purged.body())

            val afterPurge = sClient(port, session, false, "-tls1_2", "-no_ticket")
            assertTrue(afterPurge.line.startsWith("New, TLSv1.2"), afterPurge.output)
            assertEquals(1.0, actuator.prometheus().value("reprise_resumption_misses_total",
                "connector" to "boot-purge", "reason" to "unknown"))
            val overview = json.readTree(actuator.get("/actuator/reprise").body())
            assertEquals(listOf("boot-purge"), overview.path("connectors").values().map { it.path("name").asString() })
        }
    }

    @Test
    fun theEndpointRetiresTheTicketKeys() {
        startApplication(pki, dir, "reprise.resumption-name" to "boot-keys",
            "management.endpoint.reprise.access" to "unrestricted").use { app ->
            val port = app.port()
            val actuator = Actuator(pki, port)
            val session = dir.resolve("ticket.pem")
            sClient(port, session, true, "-tls1_2")
            assertTrue(sClient(port, session, false, "-tls1_2").reused, "the ticket resumes before the retirement")

            val retired = actuator.delete("/actuator/reprise/boot-keys/keys")
            assertEquals(200, retired.statusCode(), retired.body())
            assertTrue(json.readTree(retired.body()).path("encrypting").path("encrypting").asBoolean(), retired.body())

            assertFalse(sClient(port, session, false, "-tls1_2").reused, "a ticket of a retired key resumed")
            assertEquals(400, actuator.delete("/actuator/reprise/boot-keys/nonsense").statusCode())
            assertEquals(404, actuator.get("/actuator/reprise/no-such-connector").statusCode())
        }
    }

    @Test
    fun theEndpointIsOffUntilItsAccessIsGranted() {
        startApplication(pki, dir, "reprise.resumption-name" to "boot-closed").use { app ->
            val actuator = Actuator(pki, app.port())
            assertEquals(404, actuator.get("/actuator/reprise").statusCode())
            val purge = actuator.delete("/actuator/reprise/boot-closed/sessions").statusCode()
            assertTrue(purge in 400..499, "DELETE answered $purge")
            assertEquals(200, actuator.get("/actuator/health").statusCode())
        }
    }

    @Test
    fun repriseEnabledFalseLeavesSpringBootsOwnConnector() {
        startApplication(pki, dir, "reprise.enabled" to false).use { app ->
            val connector = ((app as WebServerApplicationContext).webServer as TomcatWebServer).tomcat.connector
            assertTrue(connector.protocolHandler is Http11NioProtocol)
            assertFalse(connector.protocolHandler is Http11NioResumptionProtocol)
            assertTrue(app.getBeansOfType(RepriseConnectors::class.java).isEmpty())

            val handshake = sClient(app.port(), dir.resolve("stock.pem"), true, "-tls1_2")
            assertTrue(handshake.line.startsWith("New, TLSv1.2"), handshake.output)
            val scrape = Actuator(pki, app.port()).prometheus()
            assertFalse(scrape.hasSeries("reprise_"), scrape.toString())
            assertTrue(scrape.hasSeries("jvm_"), "no JVM series: not the application's registry")
        }
    }
}

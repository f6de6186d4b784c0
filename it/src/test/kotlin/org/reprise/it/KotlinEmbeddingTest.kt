package org.reprise.it

import jakarta.servlet.http.HttpServlet
import jakarta.servlet.http.HttpServletRequest
import jakarta.servlet.http.HttpServletResponse
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLSocket
import org.apache.catalina.connector.Connector
import org.apache.catalina.startup.Tomcat
import org.apache.tomcat.util.net.SSLHostConfig
import org.apache.tomcat.util.net.SSLHostConfigCertificate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.reprise.core.metrics.Mechanism
import org.reprise.core.metrics.MissReason
import org.reprise.core.session.SessionId
import org.reprise.core.session.SessionPage
import org.reprise.core.session.SessionQuery
import org.reprise.core.session.SessionRecord
import org.reprise.core.session.SessionStore
import org.reprise.tomcat.Http11NioResumptionProtocol
import org.reprise.tomcat.ResumptionSettings
import org.reprise.tomcat.ResumptionSslSupport
import org.reprise.tomcat.TestPki

/** A SessionStore as a Kotlin developer writes one: a map, with counts of what the engine asked. */
class MapSessionStore : SessionStore {
    private val sessions = ConcurrentHashMap<SessionId, SessionRecord>()
    val lookups = AtomicInteger()

    override fun store(record: SessionRecord) {
        sessions[record.id()] = record
    }

    override fun retrieve(id: SessionId, now: Instant): SessionRecord? {
        lookups.incrementAndGet()
        return sessions[id]?.takeUnless { it.isExpiredAt(now) }
    }

    override fun recordResumption(id: SessionId, at: Instant) {
        sessions.computeIfPresent(id) { _, record -> record.resumedAt(at) }
    }

    override fun remove(id: SessionId): Boolean = sessions.remove(id) != null

    override fun removeAll(realm: String): Long {
        val purged = sessions.values.filter { it.realm() == realm }
        purged.forEach { sessions.remove(it.id()) }
        return purged.size.toLong()
    }

    override fun list(query: SessionQuery, now: Instant): SessionPage {
        val matching = sessions.values.filter { !it.isExpiredAt(now) && query.matches(it) }
            .sortedWith(query.comparator())
        return SessionPage(matching.drop(query.offset()).take(query.limit()), matching.size.toLong(),
            query.offset(), query.limit())
    }

    override fun sweepExpired(now: Instant): Long {
        val expired = sessions.values.filter { it.isExpiredAt(now) }
        expired.forEach { sessions.remove(it.id(), it) }
        return expired.size.toLong()
    }

    val size: Int get() = sessions.size
}

/** Answers whether the request's own TLS connection resumed, as a servlet learns it. */
class ResumedServlet : HttpServlet() {
    override fun doGet(req: HttpServletRequest, resp: HttpServletResponse) {
        val support = req.getAttribute("jakarta.servlet.request.ssl_session_mgr") as? ResumptionSslSupport
        resp.contentType = "text/plain"
        resp.writer.print("resumed=${support?.isSessionResumed ?: false}")
    }
}

/**
 * Embedded Tomcat with Reprise, configured from Kotlin through [ResumptionSettings.builder], with a session
 * store written in Kotlin. This file compiles with JSpecify nullness as errors, so it also checks that
 * the public API leaks no platform type.
 */
class KotlinEmbeddingTest {

    @TempDir
    lateinit var dir: Path

    private val pki = TestPki()

    private fun start(settings: ResumptionSettings): Pair<Tomcat, Http11NioResumptionProtocol> {
        val keystore = pki.pkcs12(dir, "localhost", pki.server("localhost", false))
        val protocol = Http11NioResumptionProtocol(settings).apply { isSSLEnabled = true }
        val connector = Connector(protocol).apply {
            port = 0
            secure = true
            scheme = "https"
            throwOnFailure = true
            addSslHostConfig(SSLHostConfig().apply {
                setProtocols("TLSv1.2")
                disableSessionTickets = true
                sessionTimeout = 600
                addCertificate(SSLHostConfigCertificate(this, SSLHostConfigCertificate.Type.EC).apply {
                    certificateKeystoreFile = keystore.toString()
                    certificateKeystorePassword = TestPki.PASSWORD
                })
            })
        }
        val tomcat = Tomcat().apply {
            setBaseDir(Files.createDirectories(dir.resolve("tomcat")).toString())
            setConnector(connector)
        }
        val context = tomcat.addContext("", dir.toString())
        Tomcat.addServlet(context, "resumed", ResumedServlet())
        context.addServletMappingDecoded("/*", "resumed")
        tomcat.start()
        return tomcat to protocol
    }

    /** One HTTPS request on a fresh TLS connection; returns the session ID and the servlet's answer. */
    private fun get(client: SSLContext, port: Int): Pair<String, String> {
        (client.socketFactory.createSocket("localhost", port) as SSLSocket).use { socket ->
            socket.soTimeout = 10_000
            socket.startHandshake()
            val id = socket.session.id.joinToString("") { "%02x".format(it) }
            socket.outputStream.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .toByteArray(StandardCharsets.US_ASCII))
            socket.outputStream.flush()
            val response = socket.inputStream.readAllBytes().toString(StandardCharsets.UTF_8)
            return id to response.substringAfter("\r\n\r\n")
        }
    }

    @Test
    fun `a Kotlin session store resumes by session ID and the counters say so`() {
        val store = MapSessionStore()
        val settings = ResumptionSettings.builder()
            .ticketKeyRotation(Duration.ofMinutes(30))
            .sessionStore(store)
            .resumptionName("kotlin-it")
            .build()
        val (tomcat, protocol) = start(settings)
        try {
            val port = protocol.localPort
            val client = pki.clientContext()

            val (firstId, first) = get(client, port)
            val (secondId, second) = get(client, port)

            assertEquals("resumed=false", first)
            assertEquals("resumed=true", second)
            assertEquals(firstId, secondId, "the client saw the same session twice")
            assertEquals(1, store.size)
            assertTrue(store.lookups.get() >= 1, "the engine asked the Kotlin store")
            assertEquals(1L, store.list(SessionQuery.all(), Instant.now()).sessions()[0].resumeCount(),
                "the resumption was recorded through the Kotlin override")

            val resumption = protocol.resumption()
            assertEquals("kotlin-it", resumption.name())
            val counters = resumption.admin().metrics()
            assertEquals(1, counters.handshakesFull())
            assertEquals(1, counters.handshakesResumed())
            assertEquals(1, counters.hits(Mechanism.SESSION_ID))
            assertEquals(1, counters.sessionsStored())
        } finally {
            tomcat.stop()
            tomcat.destroy()
        }
    }

    @Test
    fun `a session purged through the admin facade is a miss counted as unknown`() {
        val store = MapSessionStore()
        val (tomcat, protocol) = start(ResumptionSettings.builder().sessionStore(store).build())
        try {
            val client = pki.clientContext()
            get(client, protocol.localPort)
            val admin = protocol.resumption().admin()
            assertEquals(1L, admin.purgeAll())
            assertEquals(0, store.size, "the purge reached the Kotlin store")
            // The JDK client's first ClientHello may already carry a random (TLS 1.3 compatibility) session ID.
            val unknownBefore = admin.metrics().misses(MissReason.UNKNOWN)

            val (_, again) = get(client, protocol.localPort)

            assertEquals("resumed=false", again)
            val counters = admin.metrics()
            assertEquals(unknownBefore + 1, counters.misses(MissReason.UNKNOWN))
            assertEquals(0, counters.handshakesResumed())
        } finally {
            tomcat.stop()
            tomcat.destroy()
        }
    }
}

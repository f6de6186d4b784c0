package org.reprise.it.boot

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.reprise.store.jdbc.DataKeys
import org.reprise.tomcat.TestPki
import org.springframework.boot.builder.SpringApplicationBuilder
import org.springframework.context.ConfigurableApplicationContext

/** The PostgreSQL of the machine (bin/test starts it): database test, user postgres, trust auth. */
const val POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test"

/**
 * Starts [ResumingApplication] on a random port, serving HTTPS with a certificate from an SSL bundle as any Boot
 * application does, with the actuator's Prometheus endpoint exposed; [properties] add to or override that.
 */
fun startApplication(pki: TestPki, dir: Path, vararg properties: Pair<String, Any>): ConfigurableApplicationContext {
    val keystore = pki.pkcs12(dir, "server-" + System.nanoTime(), pki.server("localhost", false))
    val defaults = mapOf<String, Any>(
        "server.port" to 0,
        "server.ssl.bundle" to "it",
        "spring.ssl.bundle.jks.it.keystore.location" to "file:$keystore",
        "spring.ssl.bundle.jks.it.keystore.password" to TestPki.PASSWORD,
        "spring.ssl.bundle.jks.it.keystore.type" to "PKCS12",
        "spring.datasource.url" to POSTGRES_URL,
        "spring.datasource.username" to "postgres",
        "management.endpoints.web.exposure.include" to "health,prometheus,reprise",
        "spring.main.banner-mode" to "off",
    )
    return SpringApplicationBuilder(ResumingApplication::class.java).properties(defaults + properties).run()
}

/** Writes a fresh data key file for Reprise's JDBC store, readable by its owner only, as the store demands. */
fun writeDataKey(dir: Path): Path {
    val key = dir.resolve("reprise-data-" + System.nanoTime() + ".key")
    DataKeys.generate(key)
    return key
}

/** The port the application's HTTPS connector listens on. */
fun ConfigurableApplicationContext.port(): Int =
    environment.getRequiredProperty("local.server.port", Int::class.javaObjectType)

/** What `openssl s_client` printed for one connection. */
class Handshake(val output: String) {
    /** `New, TLSv1.2, Cipher is ...` or `Reused, TLSv1.3, ...`. */
    val line: String = output.lines().firstOrNull { it.startsWith("New, ") || it.startsWith("Reused, ") }
        ?: "no handshake"
    val reused: Boolean get() = line.startsWith("Reused, ")

    /** The TLS 1.2 session ID, in lower-case hex as Reprise lists it. */
    val sessionId: String = output.lines().map { it.trim() }.firstOrNull { it.startsWith("Session-ID:") }
        ?.substringAfter(':')?.trim()?.lowercase() ?: ""

    override fun toString(): String = output
}

/**
 * One connection with `openssl s_client` that sends a request and reads until the server closes, so that a
 * TLS 1.3 server's tickets arrive before the client goes: saves the session to [session] or offers it.
 */
fun sClient(port: Int, session: Path, save: Boolean, vararg options: String): Handshake {
    val command = listOf("openssl", "s_client", "-connect", "127.0.0.1:$port", "-servername", "localhost",
        if (save) "-sess_out" else "-sess_in", session.toString(), "-ign_eof") + options
    val process = ProcessBuilder(command).redirectErrorStream(true).start()
    val request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    process.outputStream.use { it.write(request.toByteArray(StandardCharsets.US_ASCII)) }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly()
        error("s_client did not finish: $command")
    }
    return Handshake(process.inputStream.readAllBytes().toString(StandardCharsets.UTF_8))
}

/** The JDK's HTTP client, trusting the test CA, against the application's actuator. */
class Actuator(pki: TestPki, private val port: Int) {
    private val client = HttpClient.newBuilder().sslContext(pki.clientContext()).build()

    fun get(path: String, accept: String = "application/json"): HttpResponse<String> =
        send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET())

    fun delete(path: String): HttpResponse<String> = send(HttpRequest.newBuilder(uri(path)).DELETE())

    /** The samples of `/actuator/prometheus`, in the Prometheus text format. */
    fun prometheus(): Scrape {
        val response = get("/actuator/prometheus", "text/plain")
        check(response.statusCode() == 200) { "GET /actuator/prometheus: ${response.statusCode()} ${response.body()}" }
        return Scrape(response.body())
    }

    private fun uri(path: String) = URI.create("https://localhost:$port$path")

    private fun send(request: HttpRequest.Builder): HttpResponse<String> =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString())
}

/** One scrape of `/actuator/prometheus`. */
class Scrape(val text: String) {
    /** The samples of [connector] with a value other than zero, as the scrape shows them. */
    fun nonZero(connector: String): List<String> =
        text.lines().filter { it.startsWith("reprise_") && it.contains("connector=\"$connector\"") }
            .filter { it.substringAfterLast(' ').toDoubleOrNull()?.let { value -> value != 0.0 } ?: false }

    /** The value of the sample of family [name] with these [labels] (and maybe others). */
    fun value(name: String, vararg labels: Pair<String, String>): Double =
        text.lines().filter { it.startsWith("$name{") }
            .firstOrNull { line -> labels.all { (label, value) -> line.contains("$label=\"$value\"") } }
            ?.substringAfterLast(' ')?.toDouble()
            ?: throw AssertionError("no sample $name with ${labels.toList()} in:\n$this")

    /** Whether the scrape has any sample whose name starts with [prefix]. */
    fun hasSeries(prefix: String): Boolean = text.lines().any { it.startsWith(prefix) }

    override fun toString(): String = text.lines().filter { it.startsWith("reprise_") }.joinToString("\n")
}

/** Writes what the application's user saw into the test log, one line each, tagged with where it came from. */
fun show(source: String, lines: List<String>) = lines.forEach { println("[$source] $it") }

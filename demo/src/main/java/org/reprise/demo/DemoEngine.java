package org.reprise.demo;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.reprise.tomcat.EngineProvider;
import org.reprise.tomcat.ResumptionSettings;

/**
 * The TLS engine the demo's connector runs on: the one {@code --engine} names, or else the OpenSSL engine where
 * it can run here (its jar on the class path, Java 22 or later, libssl) and the Bouncy Castle engine where it
 * cannot, with the reason.
 *
 * @param name         the connector's {@code resumptionEngine}: {@value #OPENSSL} or {@value #BOUNCY_CASTLE}
 * @param whyNotOpenSsl why the OpenSSL engine was passed over when the demo chose; null when it was named or chosen
 */
record DemoEngine(String name, @Nullable String whyNotOpenSsl) {

    static final String OPENSSL = "openssl";
    static final String BOUNCY_CASTLE = ResumptionSettings.BOUNCY_CASTLE_ENGINE;

    /**
     * @param requested the engine {@code --engine} names, or null to choose
     * @return the engine to run
     */
    static DemoEngine choose(@Nullable String requested) {
        if (requested != null) {
            return new DemoEngine(requested, null);
        }
        String why = whyOpenSslCannotRun();
        return why == null ? new DemoEngine(OPENSSL, null) : new DemoEngine(BOUNCY_CASTLE, why);
    }

    /** @return what keeps the OpenSSL engine from running in this JVM, or null when nothing does */
    private static @Nullable String whyOpenSslCannotRun() {
        try {
            ClassLoader loader = EngineProvider.class.getClassLoader();
            for (EngineProvider provider : ServiceLoader.load(EngineProvider.class, loader)) {
                if (provider.name().equals(OPENSSL)) {
                    provider.checkAvailable();
                    return null;
                }
            }
        } catch (ServiceConfigurationError e) {
            return e.getCause() instanceof UnsupportedClassVersionError
                    ? "it needs Java 22 or later, and this is Java " + Runtime.version().feature()
                    : "it cannot be loaded: " + e.getMessage();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        return "its jar (reprise-connector-openssl) is not on the class path; bin/demo adds it when it finds a JDK 22"
                + " or later";
    }

    /** @return the engine's name for people: what the page and the banner call it */
    String title() {
        return OPENSSL.equals(name) ? "OpenSSL engine" : "Bouncy Castle engine";
    }

    /** @return whether this engine resumes TLS 1.3 sessions (Bouncy Castle's makes every TLS 1.3 handshake full) */
    boolean resumesTls13() {
        return OPENSSL.equals(name);
    }
}

package org.reprise.tomcat;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link EngineProvider} a connector's {@code resumptionEngine} names. Public for Reprise's Spring Boot
 * starter, which checks the engine while it reads its properties; like {@link EngineProvider}, not API.
 */
public final class Engines {

    private Engines() {
    }

    /**
     * @param name the engine's name
     * @return the engine, checked to be usable here
     * @throws IllegalStateException naming what is missing: the engine's jar, a newer Java, a native library
     */
    public static EngineProvider find(String name) {
        List<String> known = new ArrayList<>();
        try {
            for (EngineProvider provider : ServiceLoader.load(EngineProvider.class, EngineProvider.class.getClassLoader())) {
                if (provider.name().equals(name)) {
                    provider.checkAvailable();
                    return provider;
                }
                known.add(provider.name());
            }
        } catch (ServiceConfigurationError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof UnsupportedClassVersionError
                    ? "it needs a newer Java than this JVM's " + Runtime.version().feature()
                            + " (the openssl engine needs Java 22 or later)"
                    : cause.toString();
            throw new IllegalStateException("Reprise setting resumptionEngine=\"" + name
                    + "\": an engine on the class path cannot be loaded: " + why, e);
        }
        throw new IllegalStateException("Reprise setting resumptionEngine=\"" + name + "\" names no engine on "
                + "Tomcat's class path; known: " + known + ". The openssl engine is the jar reprise-connector-openssl, "
                + "which goes next to Reprise's other jars (and needs Java 22 or later)");
    }
}

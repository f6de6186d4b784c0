/**
 * Reprise in Tomcat: {@link org.reprise.tomcat.ResumptionSslImplementation}, the
 * {@code sslImplementationName} a connector names, and the protocol class
 * ({@link org.reprise.tomcat.Http11NioResumptionProtocol}) that carries Reprise's own connector settings from
 * server.xml or from a {@link org.reprise.tomcat.ResumptionSettings} built in code.
 *
 * <p>API: those three, {@link org.reprise.tomcat.SessionMode}, the administration facade
 * {@link org.reprise.tomcat.ConnectorAdmin} and {@link org.reprise.tomcat.ResumptionSslSupport}. Not API, though
 * public because Reprise's engines live in other packages and jars: the engine SPI
 * ({@link org.reprise.tomcat.EngineProvider}, {@link org.reprise.tomcat.ConnectorBinding},
 * {@link org.reprise.tomcat.ClientAuthPolicy}, {@link org.reprise.tomcat.ResumptionAware}), which changes with
 * the engines.
 */
@NullMarked
package org.reprise.tomcat;

import org.jspecify.annotations.NullMarked;

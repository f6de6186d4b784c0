package org.reprise.tomcat;

/**
 * Implemented by the {@link javax.net.ssl.SSLSession}s of Reprise's engines: tells whether the
 * connection's handshake resumed an earlier session. Tomcat gives a servlet the session through the
 * request attribute {@code jakarta.servlet.request.ssl_session_mgr}; see
 * {@code org.reprise.tomcat.ResumptionSslSupport}.
 */
public interface ResumptionAware {

    /** @return whether this connection's handshake was abbreviated by resuming a session */
    boolean isResumed();
}

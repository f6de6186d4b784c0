package org.reprise.store.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * The database did not answer a store call, or not within its time budget. The engine answers with a
 * full handshake and counts a store error; the message holds no secret and no credentials.
 */
public final class SessionStoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause   the underlying failure, or null
     */
    public SessionStoreUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}

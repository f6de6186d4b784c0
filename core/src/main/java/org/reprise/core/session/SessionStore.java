package org.reprise.core.session;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where resumable sessions live: the server-side session database, after GnuTLS's
 * {@code gnutls_db_set_store_function} / {@code retrieve} / {@code remove} and
 * {@code gnutls_db_check_entry}.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Every method may be called from many handshake threads at once; implementations are
 *       thread-safe.</li>
 *   <li>{@link #retrieve} never returns a record that is expired at the {@code now} it is given, even
 *       if {@link #sweepExpired} has not run yet.</li>
 *   <li>{@link #store}, {@link #retrieve} and {@link #remove} sit on the handshake path: they should
 *       answer quickly and may throw an unchecked exception when the backing store fails. The engine
 *       catches it, counts a store error and falls back to a full handshake; it never fails the
 *       handshake because of the store.</li>
 * </ul>
 */
public interface SessionStore extends AutoCloseable {

    /**
     * Keeps a session, replacing any record with the same ID; a session that a standing purge covers (see
     * {@link #isPurged}) is not kept.
     *
     * @param record the session
     */
    void store(SessionRecord record);

    /**
     * Looks a session up by ID.
     *
     * @param id  the session ID a client offered
     * @param now the current time, against which expiry is checked
     * @return the record, or null if there is none or it has expired
     */
    @Nullable SessionRecord retrieve(SessionId id, Instant now);

    /**
     * Notes that a session resumed: its {@link SessionRecord#lastResumed() last resumption} becomes {@code at}
     * and its {@link SessionRecord#resumeCount() resume count} goes up by one. Nothing else changes and the
     * secret state is not written again, so however often a client resumes, the store keeps one record of
     * the session. A session that is no longer there (removed, evicted, expired) stays gone: this never
     * brings one back. Sits on the handshake path, like {@link #store}. The default keeps no count: a store
     * that lists sessions for people overrides it.
     *
     * @param id the session that resumed
     * @param at when it resumed
     */
    default void recordResumption(SessionId id, Instant at) {
    }

    /**
     * Forgets one session and every session renewed from it ({@link SessionRecord#origin()}): none will resume
     * again. The purge stands as long as they could have lived: a write in flight, a copy of the row put back,
     * a renewal made from it later, is not kept and does not resume.
     *
     * @param id the session ID
     * @return whether a record was removed
     */
    boolean remove(SessionId id);

    /**
     * Forgets every session of one realm, and every session renewed later from one of them.
     *
     * @param realm the realm ({@link SessionRecord#realm()})
     * @return how many records were removed
     */
    long removeAll(String realm);

    /**
     * Whether a purge this node knows of covers the session, answered from memory without I/O: for a session
     * that reaches the server in a ticket rather than from the store. A purge made on another node is known
     * here once this node has heard of it (the JDBC store: within its purge poll interval). The default knows
     * no purge.
     *
     * @param record a session, found in a ticket
     * @param now    the current time
     * @return whether the session, or the one it was renewed from, was purged
     */
    default boolean isPurged(SessionRecord record, Instant now) {
        return false;
    }

    /**
     * Lists sessions that are not expired at {@code now}, filtered, sorted and paged.
     *
     * @param query filter, order and page
     * @param now   the current time
     * @return one page of matching sessions and the total number that match
     */
    SessionPage list(SessionQuery query, Instant now);

    /**
     * Deletes every record expired at {@code now}.
     *
     * @param now the current time
     * @return how many records were deleted
     */
    long sweepExpired(Instant now);

    /**
     * Waits until the store can answer a lookup within a handshake's budget: for a database, until its first
     * connection is made and its schema is in place. The connector calls this once as it starts, before it
     * accepts connections and never on a handshake, so that a node that has just started does not miss its
     * first lookups. The default returns true at once.
     *
     * @param timeout the longest to wait
     * @return whether the store is ready; false if {@code timeout} passed first (lookups then fail fast and
     *         count as store errors until it is, as in an outage)
     * @throws IllegalStateException if the store found that this node must not use it (the JDBC store: its
     *                               data keys open none of the rows in use); the message says what to set,
     *                               and the connector does not start
     */
    default boolean awaitReady(Duration timeout) {
        return true;
    }

    /** Releases the store's resources. The default does nothing. */
    @Override
    default void close() {
    }
}

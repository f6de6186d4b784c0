package org.reprise.core.session;

import java.util.List;

/**
 * One page of a session listing.
 *
 * @param sessions the sessions on this page, in the query's order
 * @param total    how many sessions match the query across all pages
 * @param offset   the index of the first session of this page within all matches
 * @param limit    the page size that was asked for
 */
public record SessionPage(List<SessionRecord> sessions, long total, int offset, int limit) {

    /** Copies the list so the page stays immutable. */
    public SessionPage {
        sessions = List.copyOf(sessions);
    }
}

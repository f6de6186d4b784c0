package org.reprise.core.admin;

import java.util.List;
import javax.management.ConstructorParameters;

/** One page of sessions, as open data. */
public final class SessionPageView {

    private final List<SessionView> sessions;
    private final long total;
    private final int offset;
    private final int limit;

    /**
     * @param sessions the sessions on the page
     * @param total    how many sessions match across all pages
     * @param offset   the index of the first session on the page
     * @param limit    the page size asked for
     */
    @ConstructorParameters({"sessions", "total", "offset", "limit"})
    public SessionPageView(List<SessionView> sessions, long total, int offset, int limit) {
        this.sessions = List.copyOf(sessions);
        this.total = total;
        this.offset = offset;
        this.limit = limit;
    }

    /** @return the sessions on the page */
    public List<SessionView> getSessions() {
        return sessions;
    }

    /** @return how many sessions match across all pages */
    public long getTotal() {
        return total;
    }

    /** @return the index of the first session on the page */
    public int getOffset() {
        return offset;
    }

    /** @return the page size asked for */
    public int getLimit() {
        return limit;
    }
}

package org.reprise.core.session;

import java.util.Comparator;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What to list from a {@link SessionStore}: an optional filter by SSLHostConfig or SNI host, by
 * protocol and by free text, an order, and a page. Immutable; build with {@link #builder()}.
 */
public final class SessionQuery {

    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 1000;

    /** The columns a listing can be sorted by. */
    public enum Sort {
        /** When the session was made. */
        CREATED(Comparator.comparing(SessionRecord::created)),
        /** When the session expires. */
        EXPIRES(Comparator.comparing(SessionRecord::expires)),
        /** When the session was last resumed; never-resumed sessions first. */
        LAST_RESUMED(Comparator.comparing(SessionRecord::lastResumed,
                Comparator.nullsFirst(Comparator.naturalOrder()))),
        /** How often the session was resumed. */
        RESUME_COUNT(Comparator.comparingLong(SessionRecord::resumeCount)),
        /** The SSLHostConfig name. */
        HOST(Comparator.comparing(SessionRecord::hostConfig)),
        /** The protocol. */
        PROTOCOL(Comparator.comparing(SessionRecord::protocol)),
        /** The cipher suite. */
        CIPHER_SUITE(Comparator.comparing(SessionRecord::cipherSuite)),
        /** The node that made the session; sessions without one first. */
        NODE(Comparator.comparing(SessionRecord::node, Comparator.nullsFirst(Comparator.naturalOrder()))),
        /** The session ID. */
        ID(Comparator.comparing(r -> r.id().hex()));

        private final Comparator<SessionRecord> comparator;

        Sort(Comparator<SessionRecord> comparator) {
            this.comparator = comparator.thenComparing(r -> r.id().hex());
        }

        /** @return the order this column sorts in, ascending, ties broken by ID */
        public Comparator<SessionRecord> comparator() {
            return comparator;
        }
    }

    private final @Nullable String host;
    private final @Nullable String node;
    private final @Nullable String protocol;
    private final @Nullable String text;
    private final Sort sort;
    private final boolean descending;
    private final int offset;
    private final int limit;

    private SessionQuery(Builder b) {
        this.host = b.host;
        this.node = b.node;
        this.protocol = b.protocol;
        this.text = b.text == null ? null : b.text.toLowerCase(Locale.ROOT);
        this.sort = b.sort;
        this.descending = b.descending;
        this.offset = b.offset;
        this.limit = b.limit;
    }

    /** @return a builder for the first 50 sessions, newest first, unfiltered */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the query for everything's first page */
    public static SessionQuery all() {
        return builder().build();
    }

    /**
     * Whether a record passes this query's filters (not its paging).
     *
     * @param r a session
     * @return whether it matches
     */
    public boolean matches(SessionRecord r) {
        if (host != null && !host.equalsIgnoreCase(r.hostConfig()) && !host.equalsIgnoreCase(r.sniHost())) {
            return false;
        }
        if (node != null && !node.equals(r.node())) {
            return false;
        }
        if (protocol != null && !protocol.equalsIgnoreCase(r.protocol())) {
            return false;
        }
        return text == null || contains(r.id().hex(), text) || contains(r.hostConfig(), text)
                || contains(r.sniHost(), text) || contains(r.cipherSuite(), text)
                || contains(r.protocol(), text) || contains(r.peerIdentity(), text) || contains(r.node(), text);
    }

    private static boolean contains(@Nullable String field, String lowerText) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(lowerText);
    }

    /** @return the comparator that puts matches in this query's order */
    public Comparator<SessionRecord> comparator() {
        return descending ? sort.comparator().reversed() : sort.comparator();
    }

    /** @return the SSLHostConfig or SNI name to match exactly (ignoring case), or null for any */
    public @Nullable String host() {
        return host;
    }

    /** @return the node name to match exactly, or null for any */
    public @Nullable String node() {
        return node;
    }

    /** @return the protocol to match, or null for any */
    public @Nullable String protocol() {
        return protocol;
    }

    /** @return lower-case text that some field must contain, or null for no text filter */
    public @Nullable String text() {
        return text;
    }

    /** @return the sort column */
    public Sort sort() {
        return sort;
    }

    /** @return whether the order is descending */
    public boolean descending() {
        return descending;
    }

    /** @return how many matches to skip */
    public int offset() {
        return offset;
    }

    /** @return the page size */
    public int limit() {
        return limit;
    }

    /** Builds a {@link SessionQuery}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String host;
        private @Nullable String node;
        private @Nullable String protocol;
        private @Nullable String text;
        private Sort sort = Sort.CREATED;
        private boolean descending = true;
        private int offset;
        private int limit = 50;

        private Builder() {
        }

        /** @param host SSLHostConfig or SNI name, or null/blank for any @return this builder */
        public Builder host(@Nullable String host) {
            this.host = blankToNull(host);
            return this;
        }

        /** @param node a node name, or null/blank for any @return this builder */
        public Builder node(@Nullable String node) {
            this.node = blankToNull(node);
            return this;
        }

        /** @param protocol protocol such as {@code TLSv1.2}, or null/blank for any @return this builder */
        public Builder protocol(@Nullable String protocol) {
            this.protocol = blankToNull(protocol);
            return this;
        }

        /** @param text free text, or null/blank for none @return this builder */
        public Builder text(@Nullable String text) {
            this.text = blankToNull(text);
            return this;
        }

        /**
         * @param sort       the column
         * @param descending whether to reverse it
         * @return this builder
         */
        public Builder sort(Sort sort, boolean descending) {
            this.sort = sort;
            this.descending = descending;
            return this;
        }

        /**
         * @param offset how many matches to skip, at least 0
         * @param limit  page size, 1 to {@value #MAX_LIMIT}
         * @return this builder
         */
        public Builder page(int offset, int limit) {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be at least 0, not " + offset);
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
            }
            this.offset = offset;
            this.limit = limit;
            return this;
        }

        /** @return the query */
        public SessionQuery build() {
            return new SessionQuery(this);
        }

        private static @Nullable String blankToNull(@Nullable String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}

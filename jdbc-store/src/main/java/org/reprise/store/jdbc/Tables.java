package org.reprise.store.jdbc;

/**
 * The names of Reprise's tables under one prefix, so that several clusters (or tests) can share one
 * database. The prefix is checked by {@link JdbcStoreConfig} to be a plain lower-case identifier part,
 * which is what makes pasting it into SQL safe.
 */
record Tables(String prefix) {

    String sessions() {
        return prefix + "sessions";
    }

    String ticketKeys() {
        return prefix + "ticket_keys";
    }

    String purges() {
        return prefix + "purges";
    }

    String purgeCounter() {
        return prefix + "purge_counter";
    }

    String schemaVersion() {
        return prefix + "schema_version";
    }

    /** @return an index name, unique in the database like the table names */
    String index(String table, String column) {
        return table + "_" + column;
    }
}

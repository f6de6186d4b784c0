package org.reprise.store.jdbc;

/**
 * A column and the SQL expression that rewrites it, as someone with write access to the table but without the
 * data key would.
 */
record ColumnRewrite(String column, String value) {

    @Override
    public String toString() {
        return column;
    }
}

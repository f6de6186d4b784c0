package org.reprise.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reprise.core.session.SessionQuery;

/**
 * A {@link SessionQuery} in SQL: the same filters and order as {@link SessionQuery#matches} and
 * {@link SessionQuery#comparator()}, so a listing reads the same from the database as from memory. Only
 * fixed column names reach the SQL text; every value the user typed is a parameter.
 */
final class SessionListing {

    private static final List<String> TEXT_COLUMNS = List.of("id", "host_config", "sni_host", "cipher_suite",
            "protocol", "peer_identity", "node");

    private final SessionQuery query;
    private final String where;
    private final List<Object> parameters = new ArrayList<>();

    SessionListing(SessionQuery query, Instant now) {
        this.query = query;
        StringBuilder sql = new StringBuilder(" WHERE expires > ?");
        parameters.add(now.toEpochMilli());
        String host = query.host();
        if (host != null) {
            sql.append(" AND (LOWER(host_config) = ? OR LOWER(sni_host) = ?)");
            String lower = host.toLowerCase(Locale.ROOT);
            parameters.add(lower);
            parameters.add(lower);
        }
        if (query.node() != null) {
            sql.append(" AND node = ?");
            parameters.add(query.node());
        }
        String protocol = query.protocol();
        if (protocol != null) {
            sql.append(" AND LOWER(protocol) = ?");
            parameters.add(protocol.toLowerCase(Locale.ROOT));
        }
        String text = query.text();
        if (text != null) {
            String pattern = "%" + escapeLike(text) + "%";
            List<String> conditions = new ArrayList<>();
            for (String column : TEXT_COLUMNS) {
                conditions.add("LOWER(" + column + ") LIKE ? ESCAPE '\\'");
                parameters.add(pattern);
            }
            sql.append(" AND (").append(String.join(" OR ", conditions)).append(")");
        }
        this.where = sql.toString();
    }

    /** @return a statement counting every match */
    String countSql(String table) {
        return "SELECT COUNT(*) FROM " + table + where;
    }

    /** @return a statement selecting one page of matches, in order */
    String pageSql(String table, List<String> columns) {
        return "SELECT " + String.join(", ", columns) + " FROM " + table + where + " ORDER BY " + orderBy()
                + " LIMIT ? OFFSET ?";
    }

    /** Sets the filter's parameters, for either statement. */
    void bindFilter(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
    }

    /** Sets the filter's and the page's parameters, for {@link #pageSql}. */
    void bindPage(PreparedStatement ps) throws SQLException {
        bindFilter(ps);
        ps.setInt(parameters.size() + 1, query.limit());
        ps.setInt(parameters.size() + 2, query.offset());
    }

    private String orderBy() {
        // The comparator breaks ties by ID and reverses as a whole, nulls included
        String direction = query.descending() ? " DESC NULLS LAST" : " ASC NULLS FIRST";
        String column = switch (query.sort()) {
            case CREATED -> "created";
            case EXPIRES -> "expires";
            case LAST_RESUMED -> "last_resumed";
            case RESUME_COUNT -> "resume_count";
            case HOST -> "host_config";
            case PROTOCOL -> "protocol";
            case CIPHER_SUITE -> "cipher_suite";
            case NODE -> "node";
            case ID -> "id";
        };
        String order = column + direction;
        return column.equals("id") ? order : order + ", id" + direction;
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}

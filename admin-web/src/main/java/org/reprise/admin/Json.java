package org.reprise.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * JSON in and out. Output escapes {@code < > & '} as {@code \u003C} and so on, so that no response
 * body holds markup even if something mistakes it for HTML; values come from TLS clients (SNI names).
 */
public final class Json {

    private final ObjectMapper mapper = new ObjectMapper();

    /** A mapper with HTML-safe escapes. */
    public Json() {
        mapper.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
        mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /**
     * @param response where to write
     * @param status   the HTTP status
     * @param body     records, maps, lists and scalars
     * @throws IOException if the client went away
     */
    public void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        mapper.writeValue(response.getOutputStream(), body);
    }

    /**
     * @param in a request body
     * @return its JSON tree, or null if it is empty
     * @throws IOException if it is not JSON
     */
    public @Nullable JsonNode read(InputStream in) throws IOException {
        return mapper.readTree(in);
    }

    /** Standard escapes plus HTML's special characters. */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&', '\''}) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public @Nullable SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}

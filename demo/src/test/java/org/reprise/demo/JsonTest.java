package org.reprise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesStrings() {
        String nasty = "a\"b\\c\nd\re\tf\u0001g\u2028h</script>";
        String json = Json.write(nasty);
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h</script>\"", json);
        assertEquals(nasty, MiniJson.parse(json));
    }

    @Test
    void writesNestedValues() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("n", 3L);
        inner.put("list", Arrays.asList(1, "two", null, true));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("inner", inner);
        outer.put("k\"ey", false);
        outer.put("nothing", null);
        String json = Json.write(outer);
        assertEquals("{\"inner\":{\"n\":3,\"list\":[1,\"two\",null,true]},\"k\\\"ey\":false,\"nothing\":null}", json);
        assertEquals(outer.keySet(), MiniJson.object(json).keySet());
    }

    @Test
    void escapesHtml() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                StatusServlet.esc("<a href=\"x\" title='y'>&</a>"));
    }
}

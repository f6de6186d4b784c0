package org.reprise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusServletTest {

    @Test
    void escapesHtml() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                StatusServlet.esc("<a href=\"x\" title='y'>&</a>"));
    }
}

package org.reprise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void defaults() throws Exception {
        DemoOptions options = DemoOptions.parse();
        assertEquals(8443, options.port());
        assertEquals(Path.of("./data"), options.dataDir());
        assertEquals("TLSv1.2+TLSv1.3", options.protocols());
        assertEquals("reprise-demo", options.cluster(), "the same on every port, so demos on one database are a cluster");
    }

    @Test
    void valuesInBothSpellings() throws Exception {
        DemoOptions options = DemoOptions.parse("--port", "0", "--data-dir=/tmp/x", "--protocols", "TLSv1.2");
        assertEquals(0, options.port());
        assertEquals(Path.of("/tmp/x"), options.dataDir());
        assertEquals("TLSv1.2", options.protocols());
    }

    @Test
    void engineIsOpenSslOrBouncyCastleOrLeftToTheDemo() throws Exception {
        assertNull(DemoOptions.parse().engine(), "no --engine: the demo chooses");
        assertEquals("openssl", DemoOptions.parse("--engine", "openssl").engine());
        assertEquals("bc", DemoOptions.parse("--engine=bc").engine());
        assertEquals("bc", DemoOptions.parse("--engine", "openssl", "--engine", "bc").engine(), "the last one wins");
        for (String bad : new String[] {"jsse", "OpenSSL", ""}) {
            OptionParser.UsageException e = assertThrows(OptionParser.UsageException.class,
                    () -> DemoOptions.parse("--engine=" + bad));
            assertEquals(2, e.exitStatus());
            assertEquals("bad value for --engine: '" + bad + "': expected openssl or bc", e.getMessage());
        }
        OptionParser.UsageException missing = assertThrows(OptionParser.UsageException.class,
                () -> DemoOptions.parse("--engine"));
        assertEquals("option --engine needs a value (NAME)", missing.getMessage());
        assertTrue(DemoOptions.usage().contains("--engine NAME"), DemoOptions.usage());
    }

    @Test
    void helpIsNotAnError() {
        OptionParser.UsageException e = assertThrows(OptionParser.UsageException.class,
                () -> DemoOptions.parse("--port", "1", "--help"));
        assertTrue(e.isHelp());
        assertEquals(0, e.exitStatus());
        String usage = e.getMessage();
        assertTrue(usage.startsWith("Usage: bin/demo [options]"), usage);
        assertTrue(usage.contains("--port N") && usage.contains("(default: 8443)"), usage);
        assertTrue(usage.contains("--data-dir DIR") && usage.contains("(default: ./data)"), usage);
        assertTrue(usage.contains("--protocols LIST") && usage.contains("(default: TLSv1.2+TLSv1.3)"), usage);
        assertTrue(usage.contains("--help"), usage);
    }

    @Test
    void unknownOptionIsNamed() {
        OptionParser.UsageException e = assertThrows(OptionParser.UsageException.class,
                () -> DemoOptions.parse("--prot", "1"));
        assertFalse(e.isHelp());
        assertEquals(2, e.exitStatus());
        assertEquals("unknown option --prot", e.getMessage());
    }

    @Test
    void badValuesAreNamed() {
        for (String bad : new String[] {"abc", "-1", "65536", ""}) {
            OptionParser.UsageException e = assertThrows(OptionParser.UsageException.class,
                    () -> DemoOptions.parse("--port=" + bad));
            assertEquals(2, e.exitStatus());
            assertTrue(e.getMessage().startsWith("bad value for --port: '" + bad + "'"), e.getMessage());
        }
        OptionParser.UsageException e = assertThrows(OptionParser.UsageException.class,
                () -> DemoOptions.parse("--protocols", "SSLv3"));
        assertTrue(e.getMessage().contains("--protocols"), e.getMessage());
    }

    @Test
    void missingValueAndStrayArgument() {
        OptionParser.UsageException missing = assertThrows(OptionParser.UsageException.class,
                () -> DemoOptions.parse("--port"));
        assertEquals("option --port needs a value (N)", missing.getMessage());
        OptionParser.UsageException swallowed = assertThrows(OptionParser.UsageException.class,
                () -> DemoOptions.parse("--data-dir", "--port", "1"));
        assertEquals("option --data-dir needs a value (DIR)", swallowed.getMessage());
        OptionParser.UsageException stray = assertThrows(OptionParser.UsageException.class,
                () -> DemoOptions.parse("8443"));
        assertEquals("unexpected argument '8443'", stray.getMessage());
    }

    @Test
    void addingAnOptionIsOneLine() throws Exception {
        class Opts {
            String name = "";
            boolean verbose;
        }
        OptionParser<Opts> parser = new OptionParser<>("x", "test", Opts::new)
                .option("--name", "NAME", "anon", "who", (o, v) -> o.name = v)
                .flag("--verbose", "more output", o -> o.verbose = true);
        Opts parsed = parser.parse("--verbose");
        assertEquals("anon", parsed.name);
        assertTrue(parsed.verbose);
        assertThrows(OptionParser.UsageException.class, () -> parser.parse("--verbose=yes"));
        assertThrows(IllegalArgumentException.class, () -> parser.flag("--name", "again", o -> { }));
    }
}

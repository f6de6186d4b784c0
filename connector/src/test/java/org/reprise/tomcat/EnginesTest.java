package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class EnginesTest {

    /** The default engine is a provider like any other, found through ServiceLoader rather than by a special case. */
    @Test
    void bouncyCastleIsAProvider() {
        EngineProvider bc = Engines.find(ResumptionSettings.BOUNCY_CASTLE_ENGINE);
        assertEquals(ResumptionSettings.BOUNCY_CASTLE_ENGINE, bc.name());
        assertTrue(ServiceLoader.load(EngineProvider.class).stream()
                .anyMatch(p -> p.type().getName().equals("org.reprise.engine.bc.BcEngineProvider")));
    }
}

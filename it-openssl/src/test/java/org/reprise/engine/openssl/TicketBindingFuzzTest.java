package org.reprise.engine.openssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.policy.ServerNames;

/**
 * Junk against the OpenSSL engine's decoder of the binding sealed in a ticket (OpenSSL's ticket application
 * data): raw bytes, and real bindings with bytes changed or cut. It never throws; whatever it accepts is exactly
 * what encoding that binding again gives, so no two byte strings read as the same binding; an untouched binding
 * reads as itself.
 */
class TicketBindingFuzzTest {

    private static final Instant AUTHENTICATED = Instant.ofEpochMilli(1_800_000_000_000L);

    @FuzzTest(maxDuration = "5s")
    void junkIsRefusedAndWhatIsAcceptedRoundTrips(FuzzedDataProvider data) {
        byte[] bytes;
        @Nullable TicketBinding original = null;
        if (data.consumeBoolean()) {
            bytes = data.consumeRemainingAsBytes();
        } else {
            boolean ems = data.consumeBoolean();
            String host = data.consumeString(40);
            String sni = data.consumeBoolean() ? null : data.consumeAsciiString(40);
            byte[] realm = data.consumeBytes(TicketBinding.REALM_LENGTH);
            byte[] policy = data.consumeBytes(TicketBinding.POLICY_LENGTH);
            byte[] origin = data.consumeBytes(data.consumeInt(0, 32));
            if (realm.length != TicketBinding.REALM_LENGTH || policy.length != TicketBinding.POLICY_LENGTH) {
                return;
            }
            if (sni != null && !sni.isEmpty() && !sni.equals(ServerNames.normalize(sni))) {
                // a binding only ever holds a name ServerNames accepts; junk names are the raw-bytes branch's job
                return;
            }
            Instant notAfter = data.consumeBoolean() ? null : AUTHENTICATED.plusMillis(data.consumeInt());
            TicketBinding made = new TicketBinding(ems, AUTHENTICATED, AUTHENTICATED.plusMillis(data.consumeInt(0,
                    1 << 30)), notAfter, realm, policy, origin, host, sni == null || sni.isEmpty() ? null : sni);
            byte[] real = made.encode();
            bytes = real.clone();
            int changes = data.consumeInt(0, 3);
            for (int i = 0; i < changes; i++) {
                bytes[data.consumeInt(0, bytes.length - 1)] ^= data.consumeByte();
            }
            if (data.consumeBoolean()) {
                bytes = Arrays.copyOf(bytes, data.consumeInt(0, bytes.length + 4));
            }
            // a host with a lone surrogate does not survive UTF-8, so its encoding may read as another binding
            boolean encodable = host.equals(new String(host.getBytes(UTF_8), UTF_8));
            if (encodable && Arrays.equals(real, bytes)) {
                original = made;
            }
        }

        TicketBinding decoded = TicketBinding.decode(bytes);

        if (original != null) {
            assertEquals(original, decoded);
        }
        if (decoded != null) {
            assertArrayEquals(bytes, decoded.encode());
        }
    }
}

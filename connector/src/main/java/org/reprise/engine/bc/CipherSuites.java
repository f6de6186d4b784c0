package org.reprise.engine.bc;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.tls.CipherSuite;
import org.jspecify.annotations.Nullable;

/** The cipher suites the engine implements, by IANA name (which is also JSSE's name for them). */
final class CipherSuites {

    static final List<String> TLS13 = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    static final List<String> TLS12_ECDSA = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");

    static final List<String> TLS12_RSA = List.of(
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    static final List<String> ALL = concat(TLS13, TLS12_ECDSA, TLS12_RSA);

    /** Bouncy Castle names its constants by the IANA names, so the code of each name is read off them. */
    private static final Map<String, Integer> CODES = readCodes();
    private static final Map<Integer, String> NAMES = invert(CODES);

    private static Map<String, Integer> readCodes() {
        Map<String, Integer> codes = new HashMap<>();
        for (Field field : CipherSuite.class.getFields()) {
            if (field.getType() == int.class && Modifier.isStatic(field.getModifiers())
                    && ALL.contains(field.getName())) {
                try {
                    codes.put(field.getName(), field.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
        if (!codes.keySet().containsAll(ALL)) {
            throw new ExceptionInInitializerError("Bouncy Castle lacks a cipher suite Reprise implements");
        }
        return Map.copyOf(codes);
    }

    private static Map<Integer, String> invert(Map<String, Integer> codes) {
        Map<Integer, String> names = new HashMap<>();
        codes.forEach((name, code) -> names.put(code, name));
        return Map.copyOf(names);
    }

    private CipherSuites() {
    }

    /** @return the suites usable with a key of this kind, TLS 1.3 first */
    static List<String> forKey(boolean ec) {
        return concat(TLS13, ec ? TLS12_ECDSA : TLS12_RSA);
    }

    static int code(String name) {
        Integer code = CODES.get(name);
        if (code == null) {
            throw new IllegalArgumentException("Cipher suite not implemented: " + name);
        }
        return code;
    }

    static @Nullable String name(int code) {
        return NAMES.get(code);
    }

    static boolean isImplemented(String name) {
        return CODES.containsKey(name);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}

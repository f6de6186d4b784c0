package org.reprise.engine.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The libssl and libcrypto functions Reprise's OpenSSL engine calls, as downcall handles made once. Names follow OpenSSL's; macros are spelled out as the {@code SSL_CTX_ctrl} calls they expand to.
 * Every handle is immutable and safe to share between threads.
 */
final class NativeSsl {

    static final int TLS1_2_VERSION = 0x0303;
    static final int TLS1_3_VERSION = 0x0304;

    static final int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
    static final long SSL_SESS_CACHE_SERVER = 0x0002;
    static final long SSL_SESS_CACHE_NO_INTERNAL = 0x0100 | 0x0200;
    static final long SSL_OP_NO_TICKET = 1L << 14;
    static final long SSL_OP_NO_COMPRESSION = 1L << 17;
    static final long SSL_OP_CIPHER_SERVER_PREFERENCE = 1L << 22;
    static final long SSL_OP_NO_RENEGOTIATION = 1L << 30;

    static final int SSL_CTRL_MODE = 33;
    static final long SSL_MODE_RELEASE_BUFFERS = 0x10;
    static final int SSL_CTRL_CHAIN_CERT = 89;
    static final int SSL_CTRL_SET_GROUPS_LIST = 92;
    static final int SSL_CTRL_SET_DH_AUTO = 118;
    static final int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    static final int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;
    static final int BIO_CTRL_PENDING = 10;
    static final int BIO_C_SET_BUF_MEM_EOF_RETURN = 130;

    static final int SSL_VERIFY_NONE = 0;
    static final int SSL_VERIFY_PEER = 1;
    static final int SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 2;

    static final int SSL_ERROR_SSL = 1;
    static final int SSL_ERROR_WANT_READ = 2;
    static final int SSL_ERROR_WANT_WRITE = 3;
    static final int SSL_ERROR_SYSCALL = 5;
    static final int SSL_ERROR_ZERO_RETURN = 6;
    static final int SSL_RECEIVED_SHUTDOWN = 2;

    static final int SSL_TLSEXT_ERR_OK = 0;
    static final int SSL_TLSEXT_ERR_NOACK = 3;

    static final int TLSEXT_TYPE_SERVER_NAME = 0;
    static final int TLSEXT_TYPE_EXTENDED_MASTER_SECRET = 23;
    static final int TLSEXT_NAMETYPE_HOST_NAME = 0;
    static final int CRYPTO_EX_INDEX_SSL = 0;
    static final int CRYPTO_EX_INDEX_SSL_SESSION = 2;

    static final int SSL_CLIENT_HELLO_SUCCESS = 1;
    /** OSSL_HANDSHAKE_STATE: a handshake has completed. */
    static final int TLS_ST_OK = 1;

    static final int SSL_TICKET_NO_DECRYPT = 4;
    static final int SSL_TICKET_SUCCESS = 5;
    static final int SSL_TICKET_SUCCESS_RENEW = 6;
    static final int SSL_TICKET_RETURN_IGNORE_RENEW = 2;
    static final int SSL_TICKET_RETURN_USE = 3;
    static final int SSL_TICKET_RETURN_USE_RENEW = 4;

    static final int TICKET_KEY_NAME_LENGTH = 16;
    static final int TICKET_IV_LENGTH = 16;

    /** {@code OSSL_PARAM}: key, data_type (padded), data, data_size, return_size. */
    static final long OSSL_PARAM_SIZE = 40;
    static final int OSSL_PARAM_UTF8_STRING = 4;
    static final int OSSL_PARAM_OCTET_STRING = 5;

    // callback shapes
    static final FunctionDescriptor NEW_SESSION_CB = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor GET_SESSION_CB = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor REMOVE_SESSION_CB = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS);
    static final FunctionDescriptor CLIENT_HELLO_CB = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    static final FunctionDescriptor TICKET_KEY_CB = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
            ADDRESS, JAVA_INT);
    static final FunctionDescriptor GENERATE_TICKET_CB = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor ALPN_SELECT_CB = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
            JAVA_INT, ADDRESS);
    static final FunctionDescriptor DECRYPT_TICKET_CB = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
            JAVA_LONG, JAVA_INT, ADDRESS);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBRARIES = library("ssl").or(library("crypto"));

    static final MethodHandle SSL_CTX_ctrl = function("SSL_CTX_ctrl", JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle SSL_CTX_set_options = function("SSL_CTX_set_options", JAVA_LONG, ADDRESS, JAVA_LONG);
    static final MethodHandle SSL_CTX_clear_options = function("SSL_CTX_clear_options", JAVA_LONG, ADDRESS, JAVA_LONG);
    static final MethodHandle SSL_CTX_set_num_tickets = function("SSL_CTX_set_num_tickets", JAVA_INT, ADDRESS, JAVA_LONG);
    static final MethodHandle SSL_CTX_set_max_early_data = function("SSL_CTX_set_max_early_data", JAVA_INT, ADDRESS,
            JAVA_INT);
    static final MethodHandle SSL_CTX_sess_set_new_cb = voidFunction("SSL_CTX_sess_set_new_cb", ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_sess_set_get_cb = voidFunction("SSL_CTX_sess_set_get_cb", ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_sess_set_remove_cb = voidFunction("SSL_CTX_sess_set_remove_cb", ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_set_client_hello_cb = voidFunction("SSL_CTX_set_client_hello_cb", ADDRESS,
            ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_set_tlsext_ticket_key_evp_cb = function("SSL_CTX_set_tlsext_ticket_key_evp_cb",
            JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_set_session_ticket_cb = function("SSL_CTX_set_session_ticket_cb", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_get_ciphers = function("SSL_CTX_get_ciphers", ADDRESS, ADDRESS);

    static final MethodHandle SSL_client_hello_get0_ext = function("SSL_client_hello_get0_ext", JAVA_INT, ADDRESS,
            JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_client_hello_get0_ciphers = function("SSL_client_hello_get0_ciphers", JAVA_LONG,
            ADDRESS, ADDRESS);
    static final MethodHandle SSL_version = function("SSL_version", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_session_reused = function("SSL_session_reused", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_get_state = function("SSL_get_state", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_get_servername = function("SSL_get_servername", ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle SSL_get_session = function("SSL_get_session", ADDRESS, ADDRESS);
    static final MethodHandle SSL_set_ex_data = function("SSL_set_ex_data", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    static final MethodHandle SSL_get_ex_data = function("SSL_get_ex_data", ADDRESS, ADDRESS, JAVA_INT);

    static final MethodHandle i2d_SSL_SESSION = function("i2d_SSL_SESSION", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle d2i_SSL_SESSION = function("d2i_SSL_SESSION", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    static final MethodHandle SSL_SESSION_free = voidFunction("SSL_SESSION_free", ADDRESS);
    static final MethodHandle SSL_SESSION_get_id = function("SSL_SESSION_get_id", ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle SSL_SESSION_set1_id = function("SSL_SESSION_set1_id", JAVA_INT, ADDRESS, ADDRESS,
            JAVA_INT);
    static final MethodHandle SSL_SESSION_get_protocol_version = function("SSL_SESSION_get_protocol_version", JAVA_INT,
            ADDRESS);
    static final MethodHandle SSL_SESSION_get0_cipher = function("SSL_SESSION_get0_cipher", ADDRESS, ADDRESS);
    static final MethodHandle SSL_SESSION_get0_peer = function("SSL_SESSION_get0_peer", ADDRESS, ADDRESS);
    static final MethodHandle SSL_SESSION_get_time = function("SSL_SESSION_get_time", JAVA_LONG, ADDRESS);
    static final MethodHandle SSL_SESSION_set1_ticket_appdata = function("SSL_SESSION_set1_ticket_appdata", JAVA_INT,
            ADDRESS, ADDRESS, JAVA_LONG);
    static final MethodHandle SSL_SESSION_get0_ticket_appdata = function("SSL_SESSION_get0_ticket_appdata", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle SSL_SESSION_set_ex_data = function("SSL_SESSION_set_ex_data", JAVA_INT, ADDRESS, JAVA_INT,
            ADDRESS);
    static final MethodHandle SSL_SESSION_get_ex_data = function("SSL_SESSION_get_ex_data", ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle SSL_CIPHER_get_protocol_id = function("SSL_CIPHER_get_protocol_id", JAVA_SHORT, ADDRESS);
    static final MethodHandle SSL_CIPHER_standard_name = function("SSL_CIPHER_standard_name", ADDRESS, ADDRESS);

    static final MethodHandle OPENSSL_sk_num = function("OPENSSL_sk_num", JAVA_INT, ADDRESS);
    static final MethodHandle OPENSSL_sk_value = function("OPENSSL_sk_value", ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle CRYPTO_get_ex_new_index = function("CRYPTO_get_ex_new_index", JAVA_INT, JAVA_INT,
            JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle CRYPTO_free = voidFunction("CRYPTO_free", ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle i2d_X509 = function("i2d_X509", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle EVP_aes_256_cbc = function("EVP_aes_256_cbc", ADDRESS);
    static final MethodHandle EVP_EncryptInit_ex = function("EVP_EncryptInit_ex", JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
            ADDRESS, ADDRESS);
    static final MethodHandle EVP_DecryptInit_ex = function("EVP_DecryptInit_ex", JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
            ADDRESS, ADDRESS);
    static final MethodHandle EVP_MAC_CTX_set_params = function("EVP_MAC_CTX_set_params", JAVA_INT, ADDRESS, ADDRESS);
    // making and configuring an SSL_CTX (once per certificate)
    static final MethodHandle TLS_server_method = function("TLS_server_method", ADDRESS);
    static final MethodHandle SSL_CTX_new = function("SSL_CTX_new", ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_free = voidFunction("SSL_CTX_free", ADDRESS);
    static final MethodHandle SSL_CTX_set_cipher_list = function("SSL_CTX_set_cipher_list", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_set_ciphersuites = function("SSL_CTX_set_ciphersuites", JAVA_INT, ADDRESS,
            ADDRESS);
    static final MethodHandle SSL_CTX_use_certificate = function("SSL_CTX_use_certificate", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_use_PrivateKey = function("SSL_CTX_use_PrivateKey", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_check_private_key = function("SSL_CTX_check_private_key", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_CTX_get_cert_store = function("SSL_CTX_get_cert_store", ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_add_client_CA = function("SSL_CTX_add_client_CA", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_CTX_set_verify = voidFunction("SSL_CTX_set_verify", ADDRESS, JAVA_INT, ADDRESS);
    static final MethodHandle SSL_CTX_set_verify_depth = voidFunction("SSL_CTX_set_verify_depth", ADDRESS, JAVA_INT);
    static final MethodHandle SSL_CTX_set_session_id_context = function("SSL_CTX_set_session_id_context", JAVA_INT,
            ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle SSL_CTX_set_alpn_select_cb = voidFunction("SSL_CTX_set_alpn_select_cb", ADDRESS, ADDRESS,
            ADDRESS);
    static final MethodHandle SSL_CTX_set_timeout = function("SSL_CTX_set_timeout", JAVA_LONG, ADDRESS, JAVA_LONG);
    static final MethodHandle X509_STORE_add_cert = function("X509_STORE_add_cert", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle d2i_X509 = function("d2i_X509", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    static final MethodHandle X509_free = voidFunction("X509_free", ADDRESS);
    static final MethodHandle d2i_AutoPrivateKey = function("d2i_AutoPrivateKey", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    static final MethodHandle EVP_PKEY_free = voidFunction("EVP_PKEY_free", ADDRESS);
    static final MethodHandle OPENSSL_cipher_name = function("OPENSSL_cipher_name", ADDRESS, ADDRESS);

    // one SSL per connection
    static final MethodHandle SSL_new = function("SSL_new", ADDRESS, ADDRESS);
    static final MethodHandle SSL_free = voidFunction("SSL_free", ADDRESS);
    static final MethodHandle SSL_set_accept_state = voidFunction("SSL_set_accept_state", ADDRESS);
    static final MethodHandle SSL_set_bio = voidFunction("SSL_set_bio", ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle SSL_ctrl = function("SSL_ctrl", JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle SSL_set_verify = voidFunction("SSL_set_verify", ADDRESS, JAVA_INT, ADDRESS);
    static final MethodHandle SSL_set_cipher_list = function("SSL_set_cipher_list", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_set_ciphersuites = function("SSL_set_ciphersuites", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SSL_do_handshake = function("SSL_do_handshake", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_read = function("SSL_read", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle SSL_write = function("SSL_write", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle SSL_get_error = function("SSL_get_error", JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle SSL_shutdown = function("SSL_shutdown", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_get_shutdown = function("SSL_get_shutdown", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_is_init_finished = function("SSL_is_init_finished", JAVA_INT, ADDRESS);
    static final MethodHandle SSL_get_version = function("SSL_get_version", ADDRESS, ADDRESS);
    static final MethodHandle SSL_get_current_cipher = function("SSL_get_current_cipher", ADDRESS, ADDRESS);
    static final MethodHandle SSL_get0_alpn_selected = voidFunction("SSL_get0_alpn_selected", ADDRESS, ADDRESS,
            ADDRESS);
    static final MethodHandle SSL_get1_peer_certificate = function("SSL_get1_peer_certificate", ADDRESS, ADDRESS);
    static final MethodHandle SSL_get_peer_cert_chain = function("SSL_get_peer_cert_chain", ADDRESS, ADDRESS);
    static final MethodHandle BIO_s_mem = function("BIO_s_mem", ADDRESS);
    static final MethodHandle BIO_new = function("BIO_new", ADDRESS, ADDRESS);
    /*
     * Memory BIOs never call back into Java, so these are critical downcalls: cheaper, and allowed to read and
     * write a heap ByteBuffer's array directly (no copy through native memory).
     */
    static final MethodHandle BIO_write = critical("BIO_write", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle BIO_read = critical("BIO_read", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle BIO_ctrl = critical("BIO_ctrl", JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle ERR_get_error = function("ERR_get_error", JAVA_LONG);
    static final MethodHandle ERR_error_string_n = voidFunction("ERR_error_string_n", JAVA_LONG, ADDRESS, JAVA_LONG);
    static final MethodHandle ERR_clear_error = voidFunction("ERR_clear_error");
    static final MethodHandle CRYPTO_malloc = function("CRYPTO_malloc", ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT);

    static final MethodHandle OpenSSL_version = function("OpenSSL_version", ADDRESS, JAVA_INT);

    private NativeSsl() {
    }

    /**
     * Finds libssl or libcrypto the way the dynamic linker would: by soname first (OpenSSL 3), then by the
     * development symlink. The library stays loaded for the life of the JVM, as Tomcat's own binding keeps it.
     */
    private static SymbolLookup library(String name) {
        for (String file : List.of("lib" + name + ".so.3", "lib" + name + ".so")) {
            try {
                return SymbolLookup.libraryLookup(file, Arena.global());
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        throw new IllegalStateException("lib" + name + " (OpenSSL 3) was not found; on Debian or Ubuntu install "
                + "the package libssl3 (apt-get install libssl3)");
    }

    private static MethodHandle function(String name, java.lang.foreign.MemoryLayout result,
            java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
    }

    private static MethodHandle voidFunction(String name, java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args));
    }

    private static MethodHandle critical(String name, java.lang.foreign.MemoryLayout result,
            java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args), Linker.Option.critical(true));
    }

    private static MemorySegment symbol(String name) {
        Optional<MemorySegment> symbol = LIBRARIES.find(name);
        return symbol.orElseThrow(() -> new IllegalStateException("OpenSSL has no function " + name
                + "; Reprise's OpenSSL engine needs OpenSSL 3.0 or later"));
    }

    /** @return the OpenSSL version string, such as {@code OpenSSL 3.0.19 27 Jan 2026} */
    static String version() {
        try {
            return ((MemorySegment) OpenSSL_version.invokeExact(0)).reinterpret(256).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("OpenSSL_version failed", e);
        }
    }

    /**
     * Takes every error on this thread's OpenSSL error queue.
     *
     * @return their texts, or "no error reported" when the queue was empty
     */
    static String errors() {
        StringBuilder text = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            for (long code; (code = (long) ERR_get_error.invokeExact()) != 0; ) {
                ERR_error_string_n.invokeExact(code, buffer, buffer.byteSize());
                text.append(text.isEmpty() ? "" : "; ").append(buffer.getString(0));
            }
        } catch (Throwable e) {
            throw new IllegalStateException("ERR_get_error failed", e);
        }
        return text.isEmpty() ? "no error reported" : text.toString();
    }

    /** Empties this thread's OpenSSL error queue, so that the next failure reads only its own errors. */
    static void clearErrors() {
        try {
            ERR_clear_error.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("ERR_clear_error failed", e);
        }
    }

    /** Reads a NUL-terminated string OpenSSL returned, or null for a null pointer. */
    static @Nullable String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(4096).getString(0);
    }
}

package org.reprise.store.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The data keys that encrypt session secrets and ticket keys before they reach the database, so that
 * someone who can read the database alone learns no secret.
 *
 * <p>The text form (a key file, or an environment variable) holds one base64-encoded 32-byte AES key
 * per line; blank lines and lines starting with {@code #} are ignored, and commas or spaces may separate
 * keys on one line (an environment variable rarely holds newlines). The <em>first</em> key encrypts;
 * the others only decrypt. That is how a data key is rotated without losing rows:
 * <ol>
 *   <li>append the new key as the last line on every node, restart: every node can read it;</li>
 *   <li>move it to the first line on every node, restart: new rows are written under it;</li>
 *   <li>once every row and ticket key written under the old key has expired (the session timeout and
 *       the ticket key rotation plus ticket lifetime), delete the old line.</li>
 * </ol>
 *
 * <p>Each key is known by an ID, the first 16 hexadecimal digits of its SHA-256, which is stored next to
 * every secret it encrypted and may be shown; the key bytes are never logged and never part of
 * {@link #toString()}. Immutable and thread-safe.
 */
public final class DataKeys {

    /** Length of a data key in bytes (AES-256). */
    public static final int KEY_LENGTH = 32;

    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Map<String, SecretKey> byId;
    private final String currentId;

    private DataKeys(Map<String, SecretKey> byId) {
        this.byId = byId;
        this.currentId = byId.keySet().iterator().next();
    }

    /**
     * Reads a key file, which only its owner may use: on a file system with POSIX permissions, a file that
     * grants its group or others any access (read, write or execute) is refused before it is read.
     *
     * @param file the key file
     * @return its keys, the first one encrypting
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if others than its owner may use it (the message says what to run),
     *                                  or it holds no key or a line that is not a key
     */
    public static DataKeys fromFile(Path file) throws IOException {
        refuseIfShared(file);
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a key file (or of an environment variable holding the same).
     *
     * @param text base64-encoded 32-byte keys, the encrypting one first
     * @return the keys
     * @throws IllegalArgumentException if there is no key or a token is not a 32-byte base64 key; the
     *                                  message says where, never what
     */
    public static DataKeys parse(String text) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int line = 0; line < lines.length; line++) {
            String content = lines[line].strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            for (String token : SEPARATORS.split(content)) {
                byte[] bytes = decode(token, line + 1);
                keys.putIfAbsent(idOf(bytes), new SecretKeySpec(bytes, "AES"));
                Arrays.fill(bytes, (byte) 0);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no data key found; a key is 32 random bytes in base64, "
                    + "made with: openssl rand -base64 32");
        }
        return new DataKeys(keys);
    }

    /**
     * Makes a new random key and writes it to a new key file that only its owner may read (mode 600 where
     * the file system has POSIX permissions). Creates missing parent directories.
     *
     * @param file where to write; must not exist
     * @return the new key, alone
     * @throws java.nio.file.FileAlreadyExistsException if the file exists: an existing key is never replaced
     * @throws IOException if the file cannot be written
     */
    public static DataKeys generate(Path file) throws IOException {
        byte[] key = new byte[KEY_LENGTH];
        new SecureRandom().nextBytes(key);
        String text = Base64.getEncoder().encodeToString(key) + "\n";
        Arrays.fill(key, (byte) 0);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Files.createFile(file, attributes);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return parse(text);
    }

    /** @return the ID of the key that encrypts */
    public String currentKeyId() {
        return currentId;
    }

    /** @return the IDs of every key, the encrypting one first */
    public List<String> keyIds() {
        return List.copyOf(byId.keySet());
    }

    /** @return the key that encrypts */
    SecretKey current() {
        return byId.get(currentId);
    }

    /**
     * @param id a key ID read from a row
     * @return that key, or null if this node does not have it
     */
    @Nullable SecretKey byId(String id) {
        return byId.get(id);
    }

    /** @return the key IDs, never the keys */
    @Override
    public String toString() {
        return "DataKeys[current=" + currentId + ", keys=" + byId.size() + "]";
    }

    private static byte[] decode(String token, int line) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + line + " is not base64; a key is 32 random bytes in "
                    + "base64, made with: openssl rand -base64 32");
        }
        if (bytes.length != KEY_LENGTH) {
            Arrays.fill(bytes, (byte) 0);
            throw new IllegalArgumentException("line " + line + " holds a key of " + bytes.length
                    + " bytes, not " + KEY_LENGTH + "; make one with: openssl rand -base64 32");
        }
        return bytes;
    }

    private static String idOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * A key file that its group or others may read is a key anyone with that account (or a backup of the
     * file system) holds; one they may write lets them plant the key that seals every new row. A warning in
     * a log nobody reads did not stop that, so the file is refused. File systems without POSIX permissions
     * (Windows) have no such bits to check.
     */
    private static void refuseIfShared(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException noPosix) {
            return;
        }
        if (permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
            throw new IllegalArgumentException("data key file " + file + " grants access to others than its owner ("
                    + PosixFilePermissions.toString(permissions) + "); anyone who may read it can open every secret"
                    + " in the database. Run: chmod 600 " + file);
        }
    }
}

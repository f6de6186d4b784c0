package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataKeysTest {

    @TempDir
    Path dir;

    @Test
    void theFirstKeyEncryptsAndEveryKeyHasAStableId() {
        String first = TestKeys.line();
        String second = TestKeys.line();

        DataKeys keys = DataKeys.parse("# data keys\n" + first + "\n\n" + second + "\n");

        assertEquals(2, keys.keyIds().size());
        assertEquals(keys.keyIds().get(0), keys.currentKeyId());
        assertEquals(DataKeys.parse(first).currentKeyId(), keys.currentKeyId());
        assertEquals(DataKeys.parse(second).currentKeyId(), keys.keyIds().get(1));
        assertTrue(keys.currentKeyId().matches("[0-9a-f]{16}"));
        assertEquals(keys.keyIds(), DataKeys.parse(first + "," + second).keyIds(), "an environment variable's one line");
    }

    @Test
    void badKeysAreRejectedWithoutEchoingThem() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> DataKeys.parse(TestKeys.line() + "\n" + shortKey));
        assertTrue(tooShort.getMessage().contains("line 2"), tooShort.getMessage());
        assertFalse(tooShort.getMessage().contains(shortKey));

        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class, () -> DataKeys.parse("s3cr*t!"));
        assertFalse(notBase64.getMessage().contains("s3cr*t!"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataKeys.parse("# nothing\n")).getMessage()
                .contains("openssl rand -base64 32"));
    }

    @Test
    void generateWritesANewKeyFileOnlyTheOwnerMayRead() throws Exception {
        Path file = dir.resolve("data/reprise-data.key");

        DataKeys made = DataKeys.generate(file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(made.keyIds(), DataKeys.fromFile(file).keyIds());
        assertThrows(FileAlreadyExistsException.class, () -> DataKeys.generate(file), "never replaces a key");
    }

    /** Any access for group or others (read, write or execute) refuses the file; the message says what to run. */
    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rw---x---", "rw------x"})
    void aKeyFileGroupOrOthersMayUseIsRefused(String permissions) throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "a file system with POSIX permissions");
        Path file = Files.writeString(dir.resolve("shared.key"), TestKeys.line() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataKeys.fromFile(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(permissions), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals(1, DataKeys.fromFile(file).keyIds().size(), "read-only for its owner is fine");
    }

    @Test
    void toStringShowsIdsNotKeys() {
        String line = TestKeys.line();
        DataKeys keys = DataKeys.parse(line);

        assertFalse(keys.toString().contains(line));
        assertTrue(keys.toString().contains(keys.currentKeyId()));
    }

    @Test
    void aSealedSecretOpensOnlyWithItsKeyAndAssociatedData() {
        DataKeys keys = TestKeys.fresh();
        SecretCipher cipher = new SecretCipher(keys);
        byte[] secret = "master secret".getBytes(StandardCharsets.US_ASCII);
        byte[] rowA = SecretCipher.associatedData("test", new byte[] {1});

        SecretCipher.Sealed sealed = cipher.seal(secret, rowA);

        assertEquals(new String(secret, StandardCharsets.US_ASCII), new String(
                cipher.open(sealed.keyId(), sealed.bytes(), rowA), StandardCharsets.US_ASCII));
        assertNull(cipher.open(sealed.keyId(), sealed.bytes(), SecretCipher.associatedData("test", new byte[] {2})));
        assertNull(new SecretCipher(TestKeys.fresh()).open(sealed.keyId(), sealed.bytes(), rowA));
        assertNull(cipher.open(sealed.keyId(), new byte[3], rowA), "too short to be sealed");
        assertFalse(Arrays.equals(sealed.bytes(), cipher.seal(secret, rowA).bytes()), "fresh nonce each time");
    }
}

package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secrets folder and files are owner-only on every load, not only when they are new: a run dir whose
 * {@code secrets/} was made with the umask's 0755 (by hand, or before the folder got its mode) would otherwise keep
 * it for good, next to files that hold the stack's passwords.
 */
class StackSecretsTest {

    @TempDir
    Path runDir;

    @Test
    void newSecretsFolderIs0700AndItsFile0600() throws Exception {
        new StackSecrets(runDir).scramPassword();

        assertThat(mode(runDir.resolve("secrets"))).isEqualTo("rwx------");
        assertThat(mode(runDir.resolve("secrets/kafka.properties"))).isEqualTo("rw-------");
    }

    @Test
    void existingFolderAndFileWithLooserModesAreTightenedAndKeepTheirPasswords() throws Exception {
        Path folder = Files.createDirectories(runDir.resolve("secrets"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(folder.resolve("database.properties"),
                "cdc.password=kept-cdc\nadmin.password=kept-admin\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        String cdcPassword = new StackSecrets(runDir).cdcPassword();

        assertThat(cdcPassword).isEqualTo("kept-cdc");
        assertThat(mode(folder)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void secondFileInAnExistingFolderIsCreated0600() throws Exception {
        StackSecrets secrets = new StackSecrets(runDir);
        secrets.adminPassword();
        Files.setPosixFilePermissions(runDir.resolve("secrets"), PosixFilePermissions.fromString("rwxr-xr-x"));

        secrets.scramPassword();

        assertThat(mode(runDir.resolve("secrets"))).isEqualTo("rwx------");
        assertThat(mode(runDir.resolve("secrets/kafka.properties"))).isEqualTo("rw-------");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}

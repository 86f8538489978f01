package io.cdcenricher.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Java21Test {

    @TempDir
    Path dir;

    @Test
    void java21HomeFromTheEnvironmentIsUsedWhenItsReleaseFileSays21OrNewer() throws IOException {
        Path home = fakeJdk("jdk-25", "25.0.3");

        assertThat(Java21.locate(Map.of(Java21.ENV, home.toString()))).isEqualTo(home.resolve("bin/java"));
    }

    @Test
    void anOlderJava21HomeIsRejectedByName() throws IOException {
        Path home = fakeJdk("jdk-17", "17.0.15");

        assertThatThrownBy(() -> Java21.locate(Map.of(Java21.ENV, home.toString())))
                .hasMessageContaining("JAVA21_HOME=" + home).hasMessageContaining("not a Java 21+");
    }

    @Test
    void releaseFileVersionsParseFromTheFeatureNumber() throws IOException {
        assertThat(Java21.featureVersion(fakeJdk("a", "21.0.5"))).contains(21);
        assertThat(Java21.featureVersion(fakeJdk("b", "1.8.0_412"))).contains(1);
        assertThat(Java21.featureVersion(dir.resolve("missing"))).isEmpty();
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}

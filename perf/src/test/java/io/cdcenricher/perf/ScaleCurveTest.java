package io.cdcenricher.perf;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code perf/run --scale}: its sizes, and the report and CSV it writes. */
class ScaleCurveTest {

    private static final Path REPO = Path.of("/repo");

    @Test
    void scaleSizesTakeThousandsAndMillionsAndRunAscending() {
        PerfOptions o = PerfOptions.parse(List.of("--scale", "1m,10k,100K"), REPO);

        assertThat(o.isScaleCurve()).isTrue();
        assertThat(o.scaleRows()).containsExactly(10_000, 100_000, 1_000_000);
        assertThat(o.events()).as("the scale curve's default").isEqualTo(200_000);
        assertThat(PerfOptions.parse(List.of(), REPO).isScaleCurve()).isFalse();
        assertThat(PerfOptions.parse(List.of("--scale", "10m", "--events", "1000"), REPO).scaleRows())
                .containsExactly(10_000_000);
    }

    @Test
    void badScaleSizesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--scale", "10k,lots"), REPO))
                .hasMessageStartingWith("--scale");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--scale", "10k,10000"), REPO))
                .hasMessage("--scale: 10000 is listed twice");
        assertThatThrownBy(() -> PerfOptions.parse(List.of("--scale", "5000m"), REPO))
                .hasMessage("--scale: 5000m rows is too many");
    }

    @Test
    void theReportHasEveryPointAndEachInstancesShare() {
        RunResults base = new RunResults();
        base.commandLine = "perf/run --scale 10k";
        base.machine.put("cores (available to the JVM)", "2");
        base.settings.put("profile", "scale curve");
        base.notes.add("a note");
        List<ScaleReport.Point> points = List.of(
                new ScaleReport.Point(10_000, "global", 4.2, 5.1, 30_000, 610, 1.5, 1.2, 1.9, "n"),
                new ScaleReport.Point(10_000, "partitioned", 4.8, 5.9, 20_000, 640, 1.8, 1.9, 2.1, "n, with a comma"));
        List<ScaleReport.Share> shares = List.of(
                new ScaleReport.Share(10_000, 1, 4_900, List.of(0, 2), 5.0, 600, 0.9),
                new ScaleReport.Share(10_000, 2, 5_100, List.of(1, 3), 5.2, 605, 0.9));

        String md = ScaleReport.markdown(base, points, shares);
        int at = 0;
        for (String section : ScaleReport.SECTIONS) {
            assertThat(md.indexOf(section, at)).as(section).isGreaterThanOrEqualTo(at);
            at = md.indexOf(section, at);
        }
        assertThat(md).contains("| 10,000 | global | 4.2 s | 5.1 s |", "| 610 MB | 1.5 MB |",
                "| 10,000 | 1 | 4,900 | 49% | [0, 2] |", "| 10,000 | 2 | 5,100 | 51% | [1, 3] |", "- a note");

        List<String> csv = ScaleReport.csv(points, shares).lines().toList();
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).isEqualTo(ScaleReport.CSV_HEADER);
        assertThat(csv.get(2)).startsWith("point,10000,partitioned,,4.800,5.900,20000.0,640.0,1.80,,,1.90,2.10,")
                .endsWith("\"n, with a comma\"");
        assertThat(csv.get(3)).isEqualTo("instance,10000,partitioned,1,5.000,,,600.0,0.90,4900,0 2,,,");
        csv.forEach(line -> assertThat(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                .as(line).hasSize(ScaleReport.CSV_HEADER.split(",").length));
    }
}

package io.sensorrollup.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointLocationTest {

    @Test
    void s3WithNestedPrefix() {
        var location = CheckpointLocation.parse("k", "s3://sensor-rollup/prod/checkpoints/");
        assertEquals(new CheckpointLocation.S3("sensor-rollup", "prod/checkpoints"), location);
        assertEquals("s3://sensor-rollup/prod/checkpoints", location.toString());
    }

    @Test
    void s3BucketOnly() {
        assertEquals(new CheckpointLocation.S3("rollup", ""), CheckpointLocation.parse("k", "s3://rollup"));
    }

    @Test
    void localDirectory() {
        assertEquals(new CheckpointLocation.LocalDirectory(Path.of("/var/lib/rollup")),
                CheckpointLocation.parse("k", "file:/var/lib/rollup"));
    }

    @Test
    void errorsNameTheKeyAndTheValue() {
        for (String bad : new String[] {"/tmp/x", "hdfs://nn/x", "s3://Upper_Case/x", "s3:///nobucket", "file:", "s3://a b"}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> CheckpointLocation.parse("rollup.checkpoint.store", bad), bad);
            assertTrue(e.getMessage().startsWith("rollup.checkpoint.store=" + bad), e.getMessage());
        }
    }
}

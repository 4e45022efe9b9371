package org.relulearn.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.relulearn.error.UserInputException;
import org.relulearn.report.RunOutput;

/** {@link DataPath} on the local file system (HDFS: cli.HdfsRunTest), and the errors for bad locations. */
class DataPathTest {
    @TempDir
    Path tmp;

    @Test
    void aPlainPathIsTheDefaultFileSystemAndLocationsHaveOneSpelling() throws IOException {
        DataPath a = DataPath.of(tmp.toString(), "--out"), b = DataPath.of("file://" + tmp, "--out"), c = DataPath.of(tmp);
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals("file:" + tmp, a.uri());
        assertEquals(tmp.toString(), a.toString(), "messages show a local path as a path");
        assertTrue(a.isLocal() && a.atomicRename());
        Files.createDirectory(tmp.resolve("sub"));
        assertEquals(List.of(a.resolve("sub")), a.list(), "listed entries equal resolved ones");
        assertTrue(a.resolve("sub").isInside(a) && !a.isInside(a.resolve("sub")));
        assertEquals(Path.of("").toAbsolutePath().resolve("rel/x").toString(), DataPath.of("rel/x", "--out").toString());
    }

    @Test
    void replaceLeavesTheNewContentAndNoTemporaryFile() throws IOException {
        DataPath f = DataPath.of(tmp).resolve("checkpoint.json");
        f.replace("one".getBytes(StandardCharsets.UTF_8));
        f.replace("two".getBytes(StandardCharsets.UTF_8));
        assertEquals("two", Files.readString(tmp.resolve("checkpoint.json")));
        assertThrows(IOException.class, () -> f.replace(out -> {
            out.write('x');
            throw new IOException("disk full");
        }));
        assertEquals("two", Files.readString(tmp.resolve("checkpoint.json")), "a failed replace keeps the old file");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("checkpoint.json"), s.map(p -> p.getFileName().toString()).toList(), "no temporary or .crc file");
        }
    }

    @Test
    void itTravelsWithItsConfiguration() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:9000");
        DataPath p = DataPath.of(tmp.toString(), conf, "--checkpoint-dir").resolve("rows");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        DataPath back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (DataPath) in.readObject();
        }
        assertEquals(p, back);
        assertEquals("http://127.0.0.1:9000", back.conf().get("fs.s3a.endpoint"));
        back.mkdirs();
        assertTrue(Files.isDirectory(tmp.resolve("rows")), "usable after deserialisation (the file system is reopened)");
    }

    @Test
    void badLocationsAreUserErrorsNamingCauseAndFix() {
        UserInputException uri = assertThrows(UserInputException.class, () -> DataPath.of("hdfs://[bad/x", "--out"));
        assertTrue(uri.getMessage().startsWith("--out hdfs://[bad/x is not a valid path or URI") && uri.getMessage().contains("hdfs://namenode"),
                uri.getMessage());
        UserInputException scheme = assertThrows(UserInputException.class, () -> DataPath.of("nosuchfs://b/x", "--input"));
        assertTrue(scheme.getMessage().contains("no file system for scheme 'nosuchfs'") && scheme.getMessage().contains("classpath"),
                scheme.getMessage());
        UserInputException s3 = assertThrows(UserInputException.class, () -> DataPath.of("s3a://bucket/x", "--out"));
        assertTrue(s3.getMessage().contains("scheme 's3a'") && s3.getMessage().contains("hadoop-aws"), s3.getMessage());
        UserInputException empty = assertThrows(UserInputException.class, () -> DataPath.of(" ", "--resume"));
        assertTrue(empty.getMessage().startsWith("--resume is empty"), empty.getMessage());
    }

    @Test
    void aLocalRunOutputIsRenamedIntoPlaceAndMarked() throws IOException {
        Path target = tmp.resolve("run");
        try (RunOutput out = RunOutput.create(target.toString(), false)) {
            out.writeJson("params.json", Map.of("a", 1));
            assertEquals(out.dir(), out.location("x").parent().local(), "a local target is written in place");
            assertFalse(Files.exists(target));
            assertEquals(target.toString(), out.commit().toString());
        }
        try (Stream<Path> s = Files.list(target)) {
            assertEquals(List.of("_SUCCESS", "params.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("run"), s.map(p -> p.getFileName().toString()).toList(), "no temporary directory is left");
        }
        DataPath.of(target).requirePublished("--input");   // atomic rename: no marker needed, and it is there anyway
    }
}

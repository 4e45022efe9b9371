package org.relulearn.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit/submit-k8s} against a mock Kubernetes API server on 127.0.0.1 (fabric8's CRUD mock):
 * the cluster-mode submission creates the driver pod with the image, memory and relulearn arguments
 * asked for, its headless service and the config map holding spark.properties. No cluster and no
 * image are needed (nothing is scheduled); the script runs spark-submit from a SPARK_HOME built from
 * this test's classpath, which has spark-kubernetes.
 *
 * <p>Tagged {@code cluster}: surefire runs it in the integration-test phase.
 */
@Tag("cluster")
class KubernetesSubmitTest {
    @TempDir
    Path tmp;

    /**
     * Spark 4.1 creates the service and config map by server-side apply (PATCH with content type
     * application/apply-patch+yaml); the CRUD mock answers 404 for an object that does not exist yet,
     * so an apply of a missing object is turned into a create on its collection.
     */
    static final class ApplyingDispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse handlePatch(RecordedRequest request) {
            String type = String.valueOf(request.getHeader("Content-Type"));
            String path = request.getPath();
            String plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            if (type.contains("apply-patch") && handleGet(plain).code() == 404) {
                String collection = plain.substring(0, plain.lastIndexOf('/'));
                return handleCreate(new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collection,
                        request.getHeaders(), new Buffer(request.getBody().getBytes())));
            }
            return super.handlePatch(request);
        }
    }

    @Test
    void clusterModeSubmissionCreatesDriverPodServiceAndConfigMap() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ApplyingDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        try {
            Path sparkHome = sparkHomeFromTestClasspath();
            String image = "registry.example.org/relulearn:0.1.0";
            long t0 = System.nanoTime();
            Scripts.Result r = Scripts.start(tmp, "submit-k8s", "submit-k8s", List.of(
                    "--master", "k8s://http://127.0.0.1:" + server.getPort(), "--image", image, "--namespace", "relulearn",
                    "--driver-memory", "2g", "--executor-memory", "1g", "--num-executors", "3",
                    "--conf", "spark.kubernetes.submission.waitAppCompletion=false",
                    "--", "train", "gate", "--dim", "20", "--iterations", "500", "--out", "/runs/gate1"),
                    Map.of("SPARK_HOME", sparkHome.toString())).await(240);
            assertEquals(0, r.exit(), "submit-k8s failed:\n" + Scripts.tail(r.log()));
            System.out.printf("kubernetes test: submission against the mock API server in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            NamespacedKubernetesClient k8s = server.createClient();
            List<Pod> pods = k8s.pods().inNamespace("relulearn").list().getItems();
            assertEquals(1, pods.size(), "one driver pod: " + pods);
            Pod driver = pods.get(0);
            assertEquals("driver", driver.getMetadata().getLabels().get("spark-role"));
            assertEquals("spark", driver.getSpec().getServiceAccountName());
            Container c = driver.getSpec().getContainers().get(0);
            assertEquals(image, c.getImage());
            // 2g heap + max(10%, 384 MiB) overhead
            assertEquals("2432Mi", c.getResources().getLimits().get("memory").toString(), c.getResources().toString());
            List<String> args = c.getArgs();
            assertTrue(args.containsAll(List.of("driver", "--class", "org.relulearn.cli.ReluLearn")), args.toString());
            String joined = String.join(" ", args);
            assertTrue(joined.contains("local:///opt/relulearn/relulearn.jar train gate --dim 20 --iterations 500 --out /runs/gate1"),
                    joined);

            List<Service> services = k8s.services().inNamespace("relulearn").list().getItems();
            assertEquals(1, services.size(), services.toString());
            assertTrue(services.get(0).getMetadata().getName().endsWith("-driver-svc"), services.get(0).getMetadata().getName());
            List<ConfigMap> maps = k8s.configMaps().inNamespace("relulearn").list().getItems();
            ConfigMap conf = maps.stream().filter(m -> m.getData() != null && m.getData().containsKey("spark.properties"))
                    .findFirst().orElseThrow(() -> new AssertionError("no config map with spark.properties: " + maps));
            String props = conf.getData().get("spark.properties");
            assertTrue(props.contains("spark.executor.instances=3"), props);
            assertTrue(props.contains("spark.kubernetes.container.image=" + image.replace(":", "\\:")), props);
            assertTrue(props.contains("spark.authenticate=true"), props);
            assertTrue(props.contains("spark.executor.memory=1g"), props);
        } finally {
            server.destroy();
        }
    }

    /** A SPARK_HOME whose jars/ links every jar of this test JVM's classpath, and bin/ from submit/spark-lib.sh. */
    private Path sparkHomeFromTestClasspath() throws Exception {
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("bin"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p);
            }
        }
        Process p = new ProcessBuilder("bash", "-c", "source submit/spark-lib.sh && write_spark_class \"$1\" && "
                + "printf '#!/usr/bin/env bash\\nexec \"$(dirname \"$0\")/spark-class\" org.apache.spark.deploy.SparkSubmit \"$@\"\\n' > \"$2\""
                + " && chmod +x \"$1\" \"$2\"", "bash", home.resolve("bin/spark-class").toString(), home.resolve("bin/spark-submit").toString())
                .directory(Scripts.ROOT.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
        return home;
    }
}

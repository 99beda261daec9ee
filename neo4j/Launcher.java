// Local Neo4j server for the kg project, built on org.neo4j.test:neo4j-harness.
//
// Run it as a single source file (Java 11+, no javac step):
//
//   java -Xmx1g -cp '<libdir>/*' neo4j/Launcher.java [options]
//
// Options (each also readable from a system property, shown in brackets;
// a command-line option wins over the property, the property over the default):
//
//   --home DIR          working root [kg.neo4j.home], default ./.neo4j
//   --bolt-port N       Bolt port on 127.0.0.1, 0 = any free [kg.neo4j.boltPort], default 7687
//   --http-port N       HTTP port on 127.0.0.1 (Browser at /browser/) [kg.neo4j.httpPort], default 7474
//   --pagecache SIZE    page cache, e.g. 256m [kg.neo4j.pagecache], default 256m
//   --tx-total-max SIZE memory all running transactions may use together [kg.neo4j.txTotalMax], default 512m
//   --tx-max SIZE       memory one transaction may use [kg.neo4j.txMax], default 256m
//   --ephemeral         keep no data: the store lives in a throw-away folder [kg.neo4j.ephemeral=true]
//   --no-http           Bolt only, no HTTP server and no Browser [kg.neo4j.http=false]
//
// Layout under the home directory:
//   data/          the database store (kept across restarts unless --ephemeral)
//   logs/          Neo4j's debug.log, query.log, http.log, security.log
//   run/<md5>/     the harness's own working folder (its neo4j.log, certificates);
//                  the harness deletes it on a clean shutdown, stale ones are removed at start
//   launcher.lock  held while this process runs, so two launchers never share one home
//
// Authentication is OFF (the harness default): connect with no credentials.
// Once both connectors are up the program prints exactly one line
//   READY bolt://127.0.0.1:<bolt> http://127.0.0.1:<http>/browser/
// (with --no-http: "READY bolt://127.0.0.1:<bolt> -") and then waits; SIGTERM or SIGINT
// shuts the database down cleanly through a shutdown hook and prints "STOPPED after N ms".

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.server.configuration.ServerSettings;

public class Launcher {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] argv) throws Exception {
        Map<String, String> opts = parseArgs(argv);
        Path home = Paths.get(opt(opts, "home", "kg.neo4j.home", ".neo4j")).toAbsolutePath().normalize();
        int boltPort = Integer.parseInt(opt(opts, "bolt-port", "kg.neo4j.boltPort", "7687"));
        int httpPort = Integer.parseInt(opt(opts, "http-port", "kg.neo4j.httpPort", "7474"));
        long pageCache = bytes(opt(opts, "pagecache", "kg.neo4j.pagecache", "256m"));
        long txTotalMax = bytes(opt(opts, "tx-total-max", "kg.neo4j.txTotalMax", "512m"));
        long txMax = bytes(opt(opts, "tx-max", "kg.neo4j.txMax", "256m"));
        boolean ephemeral = truthy(opt(opts, "ephemeral", "kg.neo4j.ephemeral", "false"));
        // Auth is off unless asked for; with auth the first login is neo4j/neo4j and must set a password.
        boolean auth = truthy(opt(opts, "auth", "kg.neo4j.auth", "false"));
        boolean http = !truthy(opt(opts, "no-http", null, "false"))
                && truthy(System.getProperty("kg.neo4j.http", "true"));

        Path runDir = home.resolve("run");
        Path dataDir = home.resolve("data");
        Path logsDir = home.resolve("logs");
        Files.createDirectories(runDir);
        Files.createDirectories(logsDir);

        // One launcher per home: the lock is released by the OS when this process dies.
        FileChannel lockChannel = new RandomAccessFile(home.resolve("launcher.lock").toFile(), "rw").getChannel();
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            System.err.println("ERROR another launcher is using " + home);
            System.exit(2);
        }
        removeStaleWorkingFolders(runDir);

        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(runDir)
                .withConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, boltPort))
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .withConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txTotalMax)
                .withConfig(GraphDatabaseSettings.memory_transaction_max_size, txMax)
                // A dev/test server: do not reserve 256 MB of transaction log per database up front.
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // No usage reports to the vendor, no Browser telemetry: this server is for local work.
                .withConfig(GraphDatabaseSettings.udc_enabled, false)
                .withConfig(ServerSettings.allow_telemetry, false)
                // debug.log, query.log, http.log outside run/<md5>, so they survive a shutdown.
                .withConfig(GraphDatabaseSettings.logs_directory, logsDir)
                // Bolt's Netty event loops wait a 5 s quiet period each on shutdown (10 s in all);
                // 1 s is plenty for a local server. Internal setting of the pinned 5.26 line.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1);
        if (boltPort != 0) {
            builder.withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, boltPort));
        }
        if (auth) {
            builder.withConfig(GraphDatabaseSettings.auth_enabled, true);
        }
        if (http) {
            builder.withConfig(HttpConnector.enabled, true)
                    .withConfig(HttpConnector.listen_address, new SocketAddress(HOST, httpPort));
            if (httpPort != 0) {
                builder.withConfig(HttpConnector.advertised_address, new SocketAddress(HOST, httpPort));
            }
        } else {
            builder.withDisabledServer();
        }
        if (!ephemeral) {
            // The harness always works in a fresh run/<md5> folder that it deletes on close;
            // an absolute data directory outside it keeps the store across restarts.
            Files.createDirectories(dataDir);
            builder.withConfig(GraphDatabaseSettings.data_directory, dataDir);
        }

        long t0 = System.nanoTime();
        final Neo4j neo4j;
        try {
            neo4j = builder.build();
        } catch (Throwable e) {
            System.err.println("ERROR Neo4j failed to start: " + e);
            e.printStackTrace();
            dumpLogs(runDir, System.err);
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                long s0 = System.nanoTime();
                System.out.println("STOPPING");
                System.out.flush();
                neo4j.close();
                System.out.println("STOPPED after " + (System.nanoTime() - s0) / 1_000_000 + " ms");
            } catch (Throwable e) {
                System.err.println("ERROR during shutdown: " + e);
                e.printStackTrace();
            } finally {
                try {
                    lock.release();
                    lockChannel.close();
                } catch (IOException ignored) {
                    // the OS drops the lock with the process anyway
                }
                System.out.flush();
                stopped.countDown();
            }
        }, "kg-neo4j-shutdown"));

        URI bolt = neo4j.boltURI();
        String httpPart = http
                ? "http://" + HOST + ":" + neo4j.httpURI().getPort() + "/browser/"
                : "-";
        System.out.printf(Locale.ROOT,
                "INFO home=%s data=%s pagecache=%d txTotalMax=%d txMax=%d heapMax=%d startMillis=%d%n",
                home, ephemeral ? "(ephemeral)" : dataDir.toString(), pageCache, txTotalMax, txMax,
                Runtime.getRuntime().maxMemory(), (System.nanoTime() - t0) / 1_000_000);
        System.out.println("READY bolt://" + HOST + ":" + bolt.getPort() + " " + httpPart);
        System.out.flush();

        stopped.await();
    }

    private static Map<String, String> parseArgs(String[] argv) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: java -cp '<libdir>/*' neo4j/Launcher.java [--home DIR] [--bolt-port N]"
                        + " [--http-port N] [--pagecache SIZE] [--tx-total-max SIZE] [--tx-max SIZE]"
                        + " [--ephemeral] [--no-http] [--auth]");
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (key.equals("ephemeral") || key.equals("no-http") || key.equals("auth")) {
                value = "true";
            } else if (i + 1 < argv.length) {
                value = argv[++i];
            } else {
                throw new IllegalArgumentException("missing value for " + a);
            }
            opts.put(key, value);
        }
        return opts;
    }

    private static String opt(Map<String, String> opts, String key, String property, String fallback) {
        if (opts.containsKey(key)) {
            return opts.get(key);
        }
        if (property != null) {
            String p = System.getProperty(property);
            if (p != null && !p.isBlank()) {
                return p.trim();
            }
        }
        return fallback;
    }

    private static boolean truthy(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("1") || v.equals("yes");
    }

    /** "256m", "1g", "512k", "1048576" -> bytes (binary units). */
    static long bytes(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long mult = 1;
        if (v.endsWith("k")) {
            mult = 1L << 10;
        } else if (v.endsWith("m")) {
            mult = 1L << 20;
        } else if (v.endsWith("g")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            v = v.substring(0, v.length() - 1);
        }
        return Long.parseLong(v.trim()) * mult;
    }

    private static boolean isHarnessFolder(Path p) {
        return Files.isDirectory(p) && p.getFileName().toString().matches("[0-9a-f]{32}");
    }

    /** Deletes run/<md5> folders left by a launcher that was killed; we hold the home's lock. */
    private static void removeStaleWorkingFolders(Path runDir) throws IOException {
        try (Stream<Path> children = Files.list(runDir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (!isHarnessFolder(child)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(child)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void dumpLogs(Path runDir, PrintStream out) {
        try (Stream<Path> children = Files.list(runDir)) {
            List<Path> logs = new ArrayList<>();
            for (Path folder : (Iterable<Path>) children::iterator) {
                if (!isHarnessFolder(folder)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(folder)) {
                    walk.filter(p -> p.toString().endsWith(".log")).forEach(logs::add);
                }
            }
            for (Path log : logs) {
                List<String> lines = Files.readAllLines(log);
                out.println("---------- " + log + " (last 60 lines) ----------");
                lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(out::println);
            }
        } catch (IOException e) {
            out.println("(could not read the harness logs: " + e + ")");
        }
    }
}

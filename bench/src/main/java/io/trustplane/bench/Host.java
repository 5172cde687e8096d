package io.trustplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts about the machine and its processes that the stand-alone measurements (costs, startup) record. */
final class Host {

    private Host() {
    }

    static Map<String, Object> facts() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Report.today());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown"));
        m.put("memory", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("loadAverageAtStart", loadAverage());
        m.put("cpuBusyAtStart", cpuBusyPercent(Duration.ofSeconds(3)));
        return m;
    }

    /**
     * How busy the CPUs are right now, in percent of all cores over {@code window} (from /proc/stat): what else
     * the machine is doing before a measurement starts. The load average cannot tell: it lags by minutes, so a
     * build that just ended still shows as load.
     */
    static long cpuBusyPercent(Duration window) throws IOException {
        long[] a = cpuTimes();
        try {
            Thread.sleep(window.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] b = cpuTimes();
        long total = b[0] - a[0];
        return total <= 0 ? 0 : Math.round(100.0 * (total - (b[1] - a[1])) / total);
    }

    /** {total, idle + iowait} jiffies of the aggregate "cpu" line. */
    private static long[] cpuTimes() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** Resident set size of a live process in KiB ({@code VmRSS}), or -1 once it is gone. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The first line of {@code java -version}, e.g. {@code openjdk version "17.0.15" 2025-04-15}. */
    static String javaVersion(String java) {
        try {
            String out = Tools.run(List.of(java, "-version"), Duration.ofSeconds(30));
            return out.lines().findFirst().orElse("unknown").replace("\"", "");
        } catch (IOException e) {
            return "unknown (" + e.getMessage().lines().findFirst().orElse("") + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}

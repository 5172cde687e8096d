package io.trustplane.testing;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * PostgreSQL's {@code initdb} and {@code pg_ctl} refuse to run as root, and these machines run builds as
 * root. When the JVM is root, this resolver serves zonky's own bundle with those two programs renamed to
 * {@code *.real} and replaced by small scripts that hand the data directory to an unprivileged user
 * ({@code nobody}, or {@code TRUSTPLANE_PG_OS_USER}) and run the real program as that user with
 * {@code setpriv}. As a normal user the bundle is served unchanged. The rewritten bundle is cached.
 */
final class UnprivilegedPgBinaryResolver implements PgBinaryResolver {

    private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl");

    private static final String WRAPPER = """
            #!/bin/sh
            # Trustplane: PostgreSQL will not run as root; run the real program as an unprivileged user.
            here=$(cd "$(dirname "$0")" && pwd)
            real="$here/$(basename "$0").real"
            if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
            user="${TRUSTPLANE_PG_OS_USER:-nobody}"
            prev=
            for arg in "$@"; do
              if [ "$prev" = "-D" ]; then mkdir -p "$arg" && chown -R "$user" "$arg"; fi
              prev="$arg"
            done
            exec setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "$real" "$@"
            """;

    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        if (!runningAsRoot()) {
            return original;
        }
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "trustplane-pg",
                "postgres-" + system + "-" + machineHardware + "-" + bundleVersion() + "-unprivileged.txz");
        if (!Files.exists(cache)) {
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempFile(cache.getParent(), "bundle", ".part");
            try (InputStream in = original) {
                rewrite(in, Files.newOutputStream(tmp));
            }
            try {
                Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(tmp); // another JVM won the race; its bundle is identical
            }
        } else {
            original.close();
        }
        return Files.newInputStream(cache);
    }

    private static String bundleVersion() {
        Package p = DefaultPostgresBinaryResolver.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "v" + Integer.toHexString(WRAPPER.hashCode()) : v + "-" + Integer.toHexString(WRAPPER.hashCode());
    }

    private static void rewrite(InputStream txz, OutputStream target) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(txz)));
                TarArchiveOutputStream out = new TarArchiveOutputStream(
                        new XZOutputStream(new BufferedOutputStream(target), new LZMA2Options(0)))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (WRAPPED.contains(name)) {
                    TarArchiveEntry real = new TarArchiveEntry(name + ".real");
                    real.setSize(entry.getSize());
                    real.setMode(entry.getMode());
                    out.putArchiveEntry(real);
                    in.transferTo(out);
                    out.closeArchiveEntry();

                    byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry wrapper = new TarArchiveEntry(name);
                    wrapper.setSize(script.length);
                    wrapper.setMode(0100755);
                    out.putArchiveEntry(wrapper);
                    out.write(script);
                    out.closeArchiveEntry();
                } else {
                    out.putArchiveEntry(entry);
                    if (!entry.isDirectory() && !entry.isSymbolicLink() && !entry.isLink()) {
                        in.transferTo(out);
                    }
                    out.closeArchiveEntry();
                }
            }
        }
    }
}

package io.trustplane.client;

import io.trustplane.client.Model.Evidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the client that need no server: evidence hashing, token refresh, Retry-After. */
class LocalPartsTest {

    /** SHA-256("abc") from FIPS 180-2, appendix B.1. */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void evidenceHashesBytesAndFilesWithSha256(@TempDir Path dir) throws Exception {
        assertThat(Evidence.of("diff", "mem:x", "abc".getBytes(StandardCharsets.US_ASCII)).sha256()).isEqualTo(ABC);
        Path file = Files.writeString(dir.resolve("report.txt"), "abc");
        Evidence e = Evidence.ofFile("test-report", file);
        assertThat(e.sha256()).isEqualTo(ABC);
        assertThat(e.uri()).startsWith("file:").endsWith("report.txt");
        assertThat(e.kind()).isEqualTo("test-report");
    }

    @Test
    void aRefreshingSupplierFetchesAgainOnlyNearExpiry() {
        AtomicInteger fetched = new AtomicInteger();
        long[] exp = {Instant.now().plusSeconds(3600).getEpochSecond()};
        TokenSupplier tokens = TokenSupplier.refreshing(() -> {
            fetched.incrementAndGet();
            return jwt(exp[0]);
        }, Duration.ofSeconds(60));
        String first = tokens.token();
        assertThat(tokens.token()).isSameAs(first);
        assertThat(fetched).hasValue(1);

        exp[0] = Instant.now().plusSeconds(30).getEpochSecond(); // the next one expires within the refresh margin
        TokenSupplier soon = TokenSupplier.refreshing(() -> {
            fetched.incrementAndGet();
            return jwt(exp[0]);
        }, Duration.ofSeconds(60));
        soon.token();
        soon.token();
        assertThat(fetched).hasValue(3);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(Transport.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Transport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(Transport.retryAfter("soon")).isNull();
        assertThat(Transport.retryAfter("-1")).isNull();
    }

    private static String jwt(long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"a\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    }
}

package io.trustplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Base64;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The keys a Trustplane installation needs: an RSA pair for JWTs (services hold only the public half) and
 * an Ed25519 key that signs the provenance log's checkpoints and one, owned by gate-service, that signs tool-call
 * receipts. Generated with the JDK; stored as PEM files under a directory ({@code .trustplane/} for
 * {@code ./trustplane up}, a temp directory for tests).
 */
public record DevKeys(Path directory, KeyPair jwt, KeyPair log, KeyPair receipt) {

    public static final String JWT_PRIVATE = "jwt-private.pem";
    public static final String JWT_PUBLIC = "jwt-public.pem";
    public static final String LOG_PRIVATE = "log-signing-key.pem";
    public static final String LOG_PUBLIC = "log-public.pem";
    public static final String RECEIPT_PRIVATE = "receipt-signing-key.pem";
    public static final String RECEIPT_PUBLIC = "receipt-public.pem";
    /** The services that append to tp:anchor, each with its own HMAC key {@code anchor-<service>.key}. */
    public static final List<String> ANCHOR_PRODUCERS = List.of("lease-service", "gate-service", "telemetry-service");

    /** Loads the keys from {@code directory}, generating and writing any that are missing. */
    public static DevKeys loadOrCreate(Path directory) {
        try {
            Files.createDirectories(directory);
            KeyPair jwt = loadOrGenerate(directory, JWT_PRIVATE, JWT_PUBLIC, "RSA");
            KeyPair log = loadOrGenerate(directory, LOG_PRIVATE, LOG_PUBLIC, "Ed25519");
            KeyPair receipt = loadOrGenerate(directory, RECEIPT_PRIVATE, RECEIPT_PUBLIC, "Ed25519");
            for (String producer : ANCHOR_PRODUCERS) {
                Path file = directory.resolve(anchorKeyName(producer));
                if (!Files.exists(file)) {
                    byte[] secret = new byte[32];
                    new SecureRandom().nextBytes(secret);
                    Pem.writeSecret(file, Base64.getEncoder().encodeToString(secret) + "\n");
                }
            }
            return new DevKeys(directory, jwt, log, receipt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not create keys in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Fresh keys in a new temporary directory (tests). */
    public static DevKeys temporary() {
        try {
            Path dir = Files.createTempDirectory("trustplane-keys");
            dir.toFile().deleteOnExit();
            DevKeys keys = loadOrCreate(dir);
            for (String f : new String[] {JWT_PRIVATE, JWT_PUBLIC, LOG_PRIVATE, LOG_PUBLIC, RECEIPT_PRIVATE,
                RECEIPT_PUBLIC}) {
                dir.resolve(f).toFile().deleteOnExit();
            }
            ANCHOR_PRODUCERS.forEach(p -> dir.resolve(anchorKeyName(p)).toFile().deleteOnExit());
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path jwtPublicKeyFile() {
        return directory.resolve(JWT_PUBLIC);
    }

    public Path jwtPrivateKeyFile() {
        return directory.resolve(JWT_PRIVATE);
    }

    /** The file name of a producer's tp:anchor HMAC key. */
    public static String anchorKeyName(String service) {
        return "anchor-" + service + ".key";
    }

    /** A producing service's anchor key (base64 of 32 random bytes): what it tags its tp:anchor entries with. */
    public byte[] anchorKey(String service) {
        try {
            return Base64.getDecoder().decode(Files.readString(directory.resolve(anchorKeyName(service))).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path logSigningKeyFile() {
        return directory.resolve(LOG_PRIVATE);
    }

    /** gate-service's tool-call receipt signing key (not the log's: that one stays in provenance-service). */
    public Path receiptSigningKeyFile() {
        return directory.resolve(RECEIPT_PRIVATE);
    }

    public String jwtPublicKeyPem() {
        return Pem.publicKey(jwt.getPublic());
    }

    public TokenMinter minter() {
        return new TokenMinter(jwt.getPrivate());
    }

    private static KeyPair loadOrGenerate(Path dir, String privateName, String publicName, String algorithm)
            throws IOException, GeneralSecurityException {
        Path privateFile = dir.resolve(privateName);
        Path publicFile = dir.resolve(publicName);
        if (Files.exists(privateFile) && Files.exists(publicFile)) {
            PrivateKey priv = Pem.readPrivateKey(Files.readString(privateFile), algorithm);
            PublicKey pub = Pem.readPublicKey(Files.readString(publicFile), algorithm);
            return new KeyPair(pub, priv);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if ("RSA".equals(algorithm)) {
            generator.initialize(2048);
        }
        KeyPair pair = generator.generateKeyPair();
        Pem.writeSecret(privateFile, Pem.privateKey(pair.getPrivate()));
        Files.writeString(publicFile, Pem.publicKey(pair.getPublic()));
        return pair;
    }
}

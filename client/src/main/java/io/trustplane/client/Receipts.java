package io.trustplane.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Offline checks of gate-service's tool-call receipts against a pinned key: the Ed25519 signature over the receipt's
 * RFC 8785 canonical JSON without its {@code signature}, and the hash a result receipt links its decision by. A
 * receipt holds only strings and integers, whose RFC 8785 form is sorted keys and no white space.
 */
public final class Receipts {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Receipts() {
    }

    /** True when {@code receipt} was signed by the key whose raw 32 bytes are {@code publicKeyBase64}. */
    public static boolean verify(Map<String, Object> receipt, String publicKeyBase64) {
        Object signature = receipt.get("signature");
        if (!(signature instanceof String sig)) {
            return false;
        }
        Map<String, Object> unsigned = new LinkedHashMap<>(receipt);
        unsigned.remove("signature");
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(publicKeyBase64));
            verifier.update(canonical(unsigned));
            return verifier.verify(Base64.getDecoder().decode(sig));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code sha256:<hex>} of a receipt's canonical JSON, signature included: what a result receipt links by. */
    public static String hash(Map<String, Object> receipt) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical(receipt)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] canonical(Map<String, Object> receipt) {
        try {
            return CANONICAL.writeValueAsString(receipt).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static PublicKey publicKey(String base64) throws GeneralSecurityException {
        byte[] raw = Base64.getDecoder().decode(base64);
        byte[] der = new byte[SPKI_PREFIX.length + raw.length];
        System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
}

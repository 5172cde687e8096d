package io.trustplane.common.redis;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and the SHA-1 Redis names it by: sent by name (EVALSHA) while Redis has it, in full (EVAL, which
 * loads it again) after a restart made Redis forget it.
 */
public record LuaScript(String source, String sha1) {

    public static LuaScript of(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(source, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** EVALSHA by name when Redis has the script {@code loaded}, else EVAL; the caller adds numkeys, keys and args. */
    public Request request(boolean loaded) {
        return Request.cmd(loaded ? Command.EVALSHA : Command.EVAL).arg(loaded ? sha1 : source);
    }
}

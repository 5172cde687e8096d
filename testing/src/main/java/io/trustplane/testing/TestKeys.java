package io.trustplane.testing;

/** One set of test keys per JVM, shared by the test resource (verification) and tests (minting). */
public final class TestKeys {

    private static DevKeys keys;

    private TestKeys() {
    }

    public static synchronized DevKeys keys() {
        if (keys == null) {
            keys = DevKeys.temporary();
        }
        return keys;
    }

    public static TokenMinter tokens() {
        return keys().minter();
    }
}

package io.trustplane.provenance.domain;

/** The log's head: its size, root and the note signed for that size (null only for the empty tree). */
public record TreeHead(long size, byte[] root, String note) {
}

package io.mathdb.engine.write;

import io.mathdb.engine.Durability;
import io.mathdb.engine.WriteResult;
import java.util.concurrent.CompletableFuture;

/**
 * A mutation waiting for the writer, with its log payload already encoded by the submitting thread (so encoding
 * runs on many threads, not on the writer), the future its client waits on, and the catalog version its values
 * were coerced against ({@code -1}: unknown).
 */
public record WriteRequest(Mutation mutation, byte[] payload, Durability durability,
                           CompletableFuture<WriteResult> result, long catalogVersion) {
    public static WriteRequest of(Mutation mutation, Durability durability, long catalogVersion) {
        return new WriteRequest(mutation, MutationCodec.encode(mutation), durability, new CompletableFuture<>(),
                catalogVersion);
    }
}

package dev.colony.ids;

import java.time.Instant;

/** The fields of an id: when it was issued (its tick's start), by which worker, with which sequence number. */
public record IdParts(long id, Instant timestamp, int workerId, int sequence, IdLayout layout) {
}

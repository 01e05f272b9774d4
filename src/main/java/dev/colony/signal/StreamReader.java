package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The incoming half of the bridge: XREAD BLOCK on one dedicated connection, from the last id seen. The first
 * connection starts at the stream's current end; every later one first checks, with XINFO STREAM, that nothing
 * after that id was trimmed away (else: local resync), then resumes from it. Entries from this node are
 * skipped (they were delivered locally at publish); a malformed entry is logged and skipped. Runs on the
 * bridge's context only.
 */
final class StreamReader extends Link {

  /** The stream entry field holding the envelope's JSON. */
  static final String FIELD = "envelope";

  private static final Logger log = LoggerFactory.getLogger(StreamReader.class);

  private final RedisSignals owner;
  private final Map<String, Long> lastSeq = new HashMap<>();
  private StreamId lastId;
  /** How many entries the stream had received up to and including {@code lastId} (see {@link StreamState}). */
  private long seenCount;
  private long received;
  private long malformed;
  private long duplicates;

  StreamReader(Vertx vertx, RedisSignalsOptions options, RedisSignals owner, Runnable onStateChange) {
    super(vertx, options, "reader", onStateChange);
    this.owner = owner;
  }

  @Override
  Future<Void> prepare(RedisConnection c) {
    return info(c).map(state -> {
      if (lastId == null) {
        lastId = state.map(StreamState::lastGenerated).orElse(StreamId.ZERO);
        seenCount = state.map(st -> st.entriesAdded() == null ? 0L : st.entriesAdded()).orElse(0L);
        log.debug("Signal reader starts after {} in {}", lastId, options.streamKey());
      } else {
        checkGap(state.orElse(null));
      }
      return null;
    });
  }

  @Override
  void running(RedisConnection c, int epoch) {
    read(c, epoch);
  }

  private void read(RedisConnection c, int epoch) {
    Request xread = Request.cmd(Command.XREAD).arg("COUNT").arg(options.readBatch()).arg("BLOCK")
      .arg(options.blockMs()).arg("STREAMS").arg(options.streamKey()).arg(lastId.toString());
    c.send(xread).timeout(options.blockMs() + options.commandTimeoutMs(), TimeUnit.MILLISECONDS)
      .compose(response -> {
        // A full batch means this node is behind: make sure the writers have not trimmed past it meanwhile.
        return handle(response) >= options.readBatch() && current(epoch)
          ? info(c).map(state -> {
            checkGap(state.orElse(null));
            return null;
          })
          : Future.succeededFuture();
      })
      .onComplete(ar -> {
        if (!current(epoch)) {
          return;
        }
        if (ar.failed()) {
          lost(epoch, ar.cause());
        } else {
          read(c, epoch);
        }
      });
  }

  private void checkGap(StreamState state) {
    Optional<String> gap = StreamState.gap(lastId, seenCount, state);
    if (gap.isPresent()) {
      String reason = gap.get();
      log.warn("Signals after {} in {} are lost ({}): raising resync", lastId, options.streamKey(), reason);
      owner.raiseResync(reason, new JsonObject().put("lastId", lastId.toString()).put("stream", options.streamKey()));
      if (StreamState.restart(reason)) {
        lastId = StreamId.ZERO;
        seenCount = 0;
      } else if (state != null && state.entriesAdded() != null) {
        // Count the lost entries as passed, so that the same gap is not reported again.
        seenCount = state.entriesAdded() - state.length();
      }
      // Publishers' sequences have holes across a gap; the resync covers them.
      lastSeq.clear();
    }
  }

  /** Hands each entry to the local subscribers; returns how many entries there were. */
  private int handle(Response response) {
    if (response == null) {
      return 0;
    }
    int n = 0;
    for (Response stream : response) {
      Response entries = stream.get(1);
      for (Response entry : entries) {
        n++;
        String id = entry.get(0).toString();
        lastId = StreamId.parse(id);
        seenCount++;
        Envelope envelope;
        try {
          envelope = Envelope.parse(field(entry.get(1), FIELD));
        } catch (IllegalArgumentException e) {
          malformed++;
          log.warn("Skipping malformed signal entry {} in {}: {}", id, options.streamKey(), e.getMessage());
          continue;
        }
        accept(envelope);
      }
    }
    return n;
  }

  private void accept(Envelope envelope) {
    String publisher = envelope.publisherId();
    if (publisher.equals(owner.nodeId()) || envelope.onlySelf()) {
      return;
    }
    if (envelope.seq() > 0) {
      Long previous = lastSeq.get(publisher);
      if (previous != null && envelope.seq() <= previous) {
        duplicates++;
        return;
      }
      if (previous != null && envelope.seq() > previous + 1 && !Signals.RESYNC.equals(envelope.topic())) {
        log.warn("Signals {}..{} from {} are missing: raising resync", previous + 1, envelope.seq() - 1, publisher);
        owner.raiseResync("publisher-gap", new JsonObject().put("publisherId", publisher)
          .put("expected", previous + 1).put("got", envelope.seq()));
      }
      lastSeq.put(publisher, envelope.seq());
    }
    received++;
    owner.deliverLocally(envelope);
  }

  /** XINFO STREAM, or empty when there is no such stream. */
  private Future<Optional<StreamState>> info(RedisConnection c) {
    return c.send(Request.cmd(Command.XINFO).arg("STREAM").arg(options.streamKey()))
      .timeout(options.commandTimeoutMs(), TimeUnit.MILLISECONDS)
      .map(r -> Optional.of(new StreamState(id(field(r, "last-generated-id")), id(field(r, "max-deleted-entry-id")),
        firstEntryId(r), number(field(r, "entries-added")), number(field(r, "length")) == null ? 0
        : number(field(r, "length")))))
      .recover(e -> String.valueOf(e.getMessage()).contains("no such key")
        ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  private static StreamId firstEntryId(Response info) {
    Response first = fieldResponse(info, "first-entry");
    return first == null || first.size() == 0 ? null : StreamId.parse(first.get(0).toString());
  }

  private static Long number(String text) {
    return text == null ? null : Long.valueOf(text);
  }

  private static StreamId id(String text) {
    return text == null ? null : StreamId.parse(text);
  }

  /** The value after {@code name} in a flat RESP2 field/value array (or a RESP3 map). */
  private static String field(Response fields, String name) {
    Response r = fieldResponse(fields, name);
    return r == null ? null : r.toString();
  }

  private static Response fieldResponse(Response fields, String name) {
    if (fields == null) {
      return null;
    }
    if (fields.isMap()) {
      return fields.get(name);
    }
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      Response k = fields.get(i);
      if (k != null && name.equals(k.toString())) {
        return fields.get(i + 1);
      }
    }
    return null;
  }

  JsonObject stats() {
    return new JsonObject().put("lastId", lastId == null ? null : lastId.toString()).put("received", received)
      .put("malformed", malformed).put("duplicates", duplicates);
  }
}

package dev.colony.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlersTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final Message message = new Message("m1", "c", new JsonObject(), 1, 0);

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theErrorTextKeepsTheMessageAndNamesTheTypeUnlessGeneric() {
    assertThat(Handlers.describe(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
    assertThat(Handlers.describe(Future.failedFuture("plain").cause())).isEqualTo("plain");
    assertThat(Handlers.describe(new TimeoutException("handler timed out after 5 ms")))
      .isEqualTo("handler timed out after 5 ms");
    assertThat(Handlers.describe(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
    assertThat(Handlers.describe(null)).isEqualTo("unknown error");
  }

  @Test
  void aHandlerThatNeverCompletesTimesOut() {
    Future<Void> f = Handlers.run(vertx, context, m -> Promise.promise().future(), message, 50);
    assertThatThrownBy(() -> f.await(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class)
      .hasMessage("handler timed out after 50 ms");
  }

  @Test
  void aHandlerThatThrowsOrReturnsNullFails() {
    assertThatThrownBy(() -> Handlers.run(vertx, context, m -> {
      throw new IllegalArgumentException("bad payload");
    }, message, 1000).await(10, TimeUnit.SECONDS)).hasMessage("bad payload");
    assertThatThrownBy(() -> Handlers.run(vertx, context, m -> null, message, 1000).await(10, TimeUnit.SECONDS))
      .hasMessageContaining("handler returned null");
  }

  @Test
  void aHandlerCompletingLaterOnAnotherThreadSucceeds() throws Exception {
    Handlers.run(vertx, context, m -> vertx.timer(20, TimeUnit.MILLISECONDS), message, 5_000)
      .await(10, TimeUnit.SECONDS);
    Handlers.run(vertx, context, m -> Future.succeededFuture(), message, 5_000).await(10, TimeUnit.SECONDS);
  }
}

package dev.colony.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** What every adapter does the same way around a handler: run it with its timeout, describe its failure. */
final class Handlers {

  private Handlers() {
  }

  /**
   * Runs {@code handler} on {@code context} and completes, on {@code context}, when its future does or when
   * {@code timeoutMs} has passed (failed with a {@link TimeoutException} "handler timed out after N ms"), whichever
   * comes first. A handler that throws or returns null counts as failed. Called on {@code context}, a handler
   * whose future is already complete when it returns gives an already completed future, without a timer: callers
   * must not recurse into the next delivery from its callback.
   */
  static Future<Void> run(Vertx vertx, Context context, Function<Message, Future<?>> handler, Message message,
                          long timeoutMs) {
    if (Vertx.currentContext() != context) {
      Promise<Void> hop = Promise.promise();
      context.runOnContext(x -> run(vertx, context, handler, message, timeoutMs).onComplete(hop));
      return hop.future();
    }
    Future<?> result;
    try {
      result = handler.apply(message);
      if (result == null) {
        result = Future.failedFuture(new IllegalStateException("handler returned null instead of a future"));
      }
    } catch (Throwable e) {
      result = Future.failedFuture(e);
    }
    if (result.isComplete()) {
      return result.succeeded() ? Future.succeededFuture() : Future.failedFuture(result.cause());
    }
    Promise<Void> outcome = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> outcome.tryFail(
      new TimeoutException("handler timed out after " + timeoutMs + " ms")));
    result.onComplete(ar -> {
      Runnable settle = () -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          outcome.tryComplete();
        } else {
          outcome.tryFail(ar.cause());
        }
      };
      if (Vertx.currentContext() == context) {
        settle.run();
      } else {
        context.runOnContext(v -> settle.run());
      }
    });
    return outcome.future();
  }

  /** The error text kept with a dead letter: the message, prefixed with the exception type unless it is generic. */
  static String describe(Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getName();
    }
    // Future.failedFuture("text") wraps the text in Vert.x's NoStackTrace* types: the text says it all.
    if (e.getClass().getSimpleName().startsWith("NoStackTrace") || e instanceof TimeoutException) {
      return message;
    }
    return e.getClass().getSimpleName() + ": " + message;
  }

  /** A random unique message id, for when no Snowflake ids are available. */
  static String randomId() {
    return UUID.randomUUID().toString();
  }
}

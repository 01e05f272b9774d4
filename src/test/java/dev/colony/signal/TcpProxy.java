package dev.colony.signal;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A loopback TCP proxy a test can cut: {@link #cut()} drops every connection and refuses new ones until {@link #restore()}. */
public final class TcpProxy implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final NetServer server;
  private volatile boolean open = true;

  public TcpProxy(String targetHost, int targetPort) {
    NetClient client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      if (!open) {
        in.close();
        return;
      }
      in.pause();
      sockets.add(in);
      client.connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed() || !open) {
          in.close();
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        NetSocket out = ar.result();
        sockets.add(out);
        // Nothing crosses once cut, even before the sockets have finished closing.
        in.handler(b -> {
          if (open) {
            out.write(b);
          }
        });
        out.handler(b -> {
          if (open) {
            in.write(b);
          }
        });
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    });
    server.listen(0, "127.0.0.1").await();
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "redis://127.0.0.1:" + port();
  }

  /** Cuts every connection; returns once they are closed. */
  public void cut() {
    open = false;
    List<Future<Void>> closing = new ArrayList<>();
    sockets.forEach(s -> closing.add(s.close()));
    sockets.clear();
    Future.join(closing).await();
  }

  public void restore() {
    open = true;
  }

  @Override
  public void close() {
    cut();
    vertx.close().await();
  }
}

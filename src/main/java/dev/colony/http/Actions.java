package dev.colony.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.regex.Pattern;

/**
 * NocoBase's {@code /api/<resource>:<action>} routes. Vert.x Web reads {@code :name} in a path as a parameter,
 * so these are registered as regular expressions.
 */
public final class Actions {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private Actions() {
  }

  /** The route for {@code method /api/<resource>:<action>}; names are letters, digits, '_', '.', '-'. */
  public static Route action(Router router, HttpMethod method, String resource, String action) {
    if (!NAME.matcher(resource).matches() || !NAME.matcher(action).matches()) {
      throw new IllegalArgumentException("invalid resource or action name: " + resource + ":" + action);
    }
    return router.routeWithRegex(method, "/api/" + Pattern.quote(resource) + ":" + Pattern.quote(action) + "/?");
  }
}

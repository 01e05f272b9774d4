package dev.colony.config;

/** A secret from the configuration (a password, a JWT key). {@link #toString()} never shows it. */
public record Secret(String value) {

  public boolean isSet() {
    return value != null && !value.isEmpty();
  }

  @Override
  public String toString() {
    return isSet() ? "***" : "(unset)";
  }
}

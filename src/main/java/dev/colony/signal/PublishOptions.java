package dev.colony.signal;

/**
 * How a signal is delivered, as in NocoBase: {@code onlySelf} keeps it on this node; otherwise it goes to every
 * other node, and to this one too unless {@code skipSelf}. {@code onlySelf} wins over {@code skipSelf}.
 */
public record PublishOptions(boolean skipSelf, boolean onlySelf) {

  /** Skip self, not only self: the other nodes receive it, this one does not. */
  public static final PublishOptions DEFAULT = new PublishOptions(true, false);

  /** Every node, this one included. */
  public static final PublishOptions EVERYWHERE = new PublishOptions(false, false);

  /** This node only; nothing leaves the JVM. */
  public static final PublishOptions ONLY_SELF = new PublishOptions(false, true);
}

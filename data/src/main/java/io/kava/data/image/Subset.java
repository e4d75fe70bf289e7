package io.kava.data.image;

/**
 * Which part of the data a generator with {@code validationSplit} yields.
 *
 * <pre>{@code
 * jshell> gen.flow(x, y, FlowOptions.defaults().subset(Subset.VALIDATION))
 * }</pre>
 */
public enum Subset {
  TRAINING, VALIDATION
}

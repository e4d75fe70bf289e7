package io.kava.data.image;

/**
 * How points outside the image are filled by a transform, as Keras's {@code fill_mode}
 * (for input {@code abcd}).
 *
 * <pre>{@code
 * jshell> ImageDataGenerator.builder().rotationRange(30).fillMode(FillMode.REFLECT).build()
 * }</pre>
 */
public enum FillMode {
  /** {@code aaaaaaaa|abcd|dddddddd}: the nearest edge pixel. Keras's default. */
  NEAREST,
  /** {@code kkkkkkkk|abcd|kkkkkkkk}: the constant {@code cval}. */
  CONSTANT,
  /** {@code abcddcba|abcd|dcbaabcd}: mirrored at the edge. */
  REFLECT,
  /** {@code abcdabcd|abcd|abcdabcd}: tiled. */
  WRAP;

  /** TensorFlow's name for the mode in {@code ImageProjectiveTransformV3}. */
  String tensorflowName() {
    return name();
  }
}

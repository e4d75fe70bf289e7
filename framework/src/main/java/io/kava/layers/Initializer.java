package io.kava.layers;

import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;

/**
 * Draws the initial values of a weight, in Java, from an explicit random source (so the same
 * model seed always gives the same weights). Factories mirror Keras's initializers.
 *
 * <pre>{@code
 * jshell> Dense.of(10).kernelInitializer(Initializer.randomNormal(0, 0.01))
 * jshell> Conv2D.of(96, 11).biasInitializer(Initializer.constant(1))
 * }</pre>
 */
public interface Initializer {

  /** Fills a new array of {@code shape.size()} values (row-major). */
  float[] values(Shape shape, SplittableRandom random);

  /** Keras's default kernel initializer: U(-l, l), l = sqrt(6 / (fan_in + fan_out)). */
  static Initializer glorotUniform() {
    return Initializers.GLOROT_UNIFORM;
  }

  /** N(0, s) truncated at 2s, s = sqrt(2 / (fan_in + fan_out)). */
  static Initializer glorotNormal() {
    return Initializers.GLOROT_NORMAL;
  }

  /** U(-l, l), l = sqrt(6 / fan_in). */
  static Initializer heUniform() {
    return Initializers.HE_UNIFORM;
  }

  /** N(0, s) truncated at 2s, s = sqrt(2 / fan_in). */
  static Initializer heNormal() {
    return Initializers.HE_NORMAL;
  }

  /** All zeros: Keras's default bias initializer. */
  static Initializer zeros() {
    return constant(0);
  }

  /** All ones. */
  static Initializer ones() {
    return constant(1);
  }

  /** Every value {@code value}. */
  static Initializer constant(double value) {
    return new Initializers.Constant(value);
  }

  /** N(mean, stddev): the AlexNet paper's N(0, 0.01). */
  static Initializer randomNormal(double mean, double stddev) {
    return Initializers.normal(mean, stddev);
  }

  /**
   * Parses the form {@link #toString()} gives, as saved in {@code kava.json}:
   * {@code glorot_uniform}, {@code he_normal}, {@code zeros}, {@code ones},
   * {@code constant(0.1)}, {@code random_normal(mean=0.0, stddev=0.01)},
   * {@code random_uniform(min=-1.0, max=1.0)}.
   */
  static Initializer parse(String text) {
    return Initializers.parse(text);
  }

  /** U(min, max). */
  static Initializer randomUniform(double min, double max) {
    return Initializers.uniform(min, max);
  }
}

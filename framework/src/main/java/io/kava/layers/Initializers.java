package io.kava.layers;

import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;

/** The implementations behind {@link Initializer}'s factories. */
final class Initializers {
  private Initializers() {}

  static final Initializer GLOROT_UNIFORM = new Scaled("glorot_uniform", true, 1.0, true);
  static final Initializer GLOROT_NORMAL = new Scaled("glorot_normal", true, 1.0, false);
  static final Initializer HE_UNIFORM = new Scaled("he_uniform", false, 2.0, true);
  static final Initializer HE_NORMAL = new Scaled("he_normal", false, 2.0, false);

  /** Keras's fans: dense [in, out]; conv [kh, kw, in, out] multiplies in and out by kh*kw. */
  static double[] fans(Shape shape) {
    long[] d = shape.asArray();
    if (d.length == 0) {
      return new double[] {1, 1};
    }
    if (d.length == 1) {
      return new double[] {d[0], d[0]};
    }
    double receptive = 1;
    for (int i = 0; i < d.length - 2; i++) {
      receptive *= d[i];
    }
    return new double[] {d[d.length - 2] * receptive, d[d.length - 1] * receptive};
  }

  /** Variance scaling as in Keras: fan_avg (Glorot) or fan_in (He). */
  private record Scaled(String name, boolean fanAvg, double scale, boolean uniform)
      implements Initializer {
    @Override
    public float[] values(Shape shape, SplittableRandom random) {
      double[] f = fans(shape);
      double fan = fanAvg ? (f[0] + f[1]) / 2 : f[0];
      double variance = scale / Math.max(1, fan);
      if (uniform) {
        double limit = Math.sqrt(3 * variance);
        return draw(shape, () -> (2 * random.nextDouble() - 1) * limit);
      }
      // Keras divides by the stddev of a unit normal truncated at 2 sigma.
      double stddev = Math.sqrt(variance) / .87962566103423978;
      return draw(shape, () -> truncatedNormal(random) * stddev);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  record Constant(double value) implements Initializer {
    @Override
    public float[] values(Shape shape, SplittableRandom random) {
      float[] v = new float[Math.toIntExact(shape.size())];
      java.util.Arrays.fill(v, (float) value);
      return v;
    }

    @Override
    public String toString() {
      return value == 0 ? "zeros" : value == 1 ? "ones" : "constant(" + value + ")";
    }
  }

  static Initializer normal(double mean, double stddev) {
    if (!(stddev >= 0)) {
      throw new IllegalArgumentException(
          "Initializer.randomNormal: stddev must be >= 0; got " + stddev + ".");
    }
    return new Initializer() {
      @Override
      public float[] values(Shape shape, SplittableRandom random) {
        return draw(shape, () -> mean + stddev * gaussian(random));
      }

      @Override
      public String toString() {
        return "random_normal(mean=" + mean + ", stddev=" + stddev + ")";
      }
    };
  }

  static Initializer uniform(double min, double max) {
    if (!(max >= min)) {
      throw new IllegalArgumentException("Initializer.randomUniform: max must be >= min; got min="
          + min + ", max=" + max + ".");
    }
    return new Initializer() {
      @Override
      public float[] values(Shape shape, SplittableRandom random) {
        return draw(shape, () -> min + (max - min) * random.nextDouble());
      }

      @Override
      public String toString() {
        return "random_uniform(min=" + min + ", max=" + max + ")";
      }
    };
  }

  static Initializer parse(String text) {
    String t = text == null ? "" : text.trim();
    for (Initializer i : new Initializer[] {GLOROT_UNIFORM, GLOROT_NORMAL, HE_UNIFORM, HE_NORMAL,
        Initializer.zeros(), Initializer.ones()}) {
      if (i.toString().equals(t)) {
        return i;
      }
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "(constant|random_normal|random_uniform)\\((.*)\\)").matcher(t);
    if (m.matches()) {
      java.util.List<Double> args = new java.util.ArrayList<>();
      for (String part : m.group(2).split(",")) {
        String v = part.contains("=") ? part.substring(part.indexOf('=') + 1) : part;
        try {
          args.add(Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
          args.clear();
          break;
        }
      }
      int want = m.group(1).equals("constant") ? 1 : 2;
      if (args.size() == want) {
        return switch (m.group(1)) {
          case "constant" -> Initializer.constant(args.get(0));
          case "random_normal" -> normal(args.get(0), args.get(1));
          default -> uniform(args.get(0), args.get(1));
        };
      }
    }
    throw new IllegalArgumentException("Initializer: must be one of glorot_uniform,"
        + " glorot_normal, he_uniform, he_normal, zeros, ones, constant(v),"
        + " random_normal(mean=m, stddev=s), random_uniform(min=a, max=b); got '" + text + "'.");
  }

  private static float[] draw(Shape shape, java.util.function.DoubleSupplier next) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) next.getAsDouble();
    }
    return v;
  }

  static double gaussian(SplittableRandom r) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static double truncatedNormal(SplittableRandom r) {
    double g;
    do {
      g = gaussian(r);
    } while (Math.abs(g) > 2);
    return g;
  }
}

package io.kava.data.image;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.Svd;
import org.tensorflow.types.TFloat32;

/** The featurewise statistics of {@code ImageDataGenerator.fit}, as keras-preprocessing. */
final class Statistics {
  private Statistics() {}

  /**
   * Per-channel mean, per-channel (population) std of the centred data, and the ZCA matrix
   * {@code V diag(sqrt(n) / (s + eps)) V^T} from the SVD {@code X = U S V^T} of the centred
   * (and, if asked, std-normalized) data, computed with TensorFlow's Svd op. {@code px} is
   * modified.
   */
  static ImageDataGenerator.Stats of(float[] px, int n, Shape image, boolean center,
      boolean std, boolean zca, double eps) {
    int c = (int) image.get(2);
    float[] mean = null;
    float[] sd = null;
    if (center) {
      double[] sum = new double[c];
      for (int i = 0; i < px.length; i++) {
        sum[i % c] += px[i];
      }
      mean = new float[c];
      long count = px.length / c;
      for (int k = 0; k < c; k++) {
        mean[k] = (float) (sum[k] / count);
      }
      for (int i = 0; i < px.length; i++) {
        px[i] -= mean[i % c];
      }
    }
    if (std) {
      double[] sq = new double[c];
      for (int i = 0; i < px.length; i++) {
        sq[i % c] += (double) px[i] * px[i];
      }
      sd = new float[c];
      long count = px.length / c;
      for (int k = 0; k < c; k++) {
        sd[k] = (float) Math.sqrt(sq[k] / count);
      }
      for (int i = 0; i < px.length; i++) {
        px[i] /= sd[i % c] + 1e-6f;
      }
    }
    float[] w = zca ? zca(px, n, (int) image.size(), eps) : null;
    return new ImageDataGenerator.Stats(mean, sd, w, image);
  }

  private static float[] zca(float[] px, int n, int d, double eps) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, d)));
      Svd<TFloat32> svd = tf.linalg.svd(x, Svd.computeUv(true), Svd.fullMatrices(false));
      var sInv = tf.math.div(tf.constant((float) Math.sqrt(n)),
          tf.math.add(svd.s(), tf.constant((float) eps)));
      var w = tf.linalg.matMul(tf.math.mul(svd.v(), sInv), svd.v(),
          org.tensorflow.op.linalg.MatMul.transposeB(true));
      try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, d), DataBuffers.of(px, true, false));
          Result r = s.runner().feed(x, xt).fetch(w).run()) {
        TFloat32 out = (TFloat32) r.get(0);
        float[] m = new float[d * d];
        out.copyTo(DataBuffers.of(m, false, false));
        return m;
      }
    }
  }
}

package io.kava.layers;

import static io.kava.TestArrays.uniform;

import io.kava.Model;
import io.kava.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/** Models the merge layers' tests share: the layer contract runs them in functional models. */
final class MergeCases {
  private MergeCases() {}

  /** {@code Input -> merge(input, input)}: a one-input model, so the contract can feed it. */
  static Model twice(LayerContract.ShapeCase c) {
    Input in = Input.of(c.input());
    return Model.of(in, c.layer().apply(in, in)).seed(1);
  }

  /** The merge's declared shape for the case's input, taken twice. */
  static Shape declaredTwice(LayerContract.ShapeCase c) {
    Shape s = Shape.of(c.input());
    return c.layer().outputShape(List.of(s, s));
  }

  /**
   * {@code Input(3, 3, 2)} into two 1x1 convolutions (different weights), merged, then
   * {@code Flatten -> Dense(1)}: gradients reach both branches through the merge.
   */
  static LayerContract.GradientCase throughTwoBranches(Layer merge) {
    Input in = Input.of(3, 3, 2);
    Node a = Conv2D.of(2, 1).activation(Activation.TANH).apply(in);
    Node b = Conv2D.of(2, 1).apply(in);
    Node out = Dense.of(1).apply(Flatten.of().apply(merge.apply(a, b)));
    return LayerContract.GradientCase.of(Model.of(in, out).seed(5),
        uniform(1, -1, 1, 4, 3, 3, 2), uniform(2, -1, 1, 4, 1));
  }

  /** Predicts {@code merge} applied to inputs named {@code in0, in1, ...} holding {@code xs}. */
  static FloatNdArray predict(Layer merge, FloatNdArray... xs) {
    long[] d = xs[0].shape().asArray();
    List<Input> inputs = new ArrayList<>();
    Map<String, FloatNdArray> fed = new HashMap<>();
    for (int i = 0; i < xs.length; i++) {
      inputs.add(Input.of(Arrays.copyOfRange(d, 1, d.length)).name("in" + i));
      fed.put("in" + i, xs[i]);
    }
    try (Model m = Model.of(inputs, List.of(merge.apply(inputs.toArray(new Node[0]))))) {
      return m.predict(fed).values().iterator().next();
    }
  }
}

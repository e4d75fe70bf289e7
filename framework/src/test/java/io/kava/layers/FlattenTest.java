package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class FlattenTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Flatten.of(), shape(2, 3, 4), 24),
        ShapeCase.of(Flatten.of(), shape(5), 5),
        ShapeCase.of(Flatten.of(), shape(13, 13, 32), 5408));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(2, 3, 2), Conv2D.of(2, 1), Flatten.of(),
        Dense.of(1)).seed(3);
    return GradientCase.of(model, uniform(1, -1, 1, 3, 2, 3, 2), uniform(2, -1, 1, 3, 1));
  }

  @Test
  void keepsRowMajorChannelsLastOrder() {
    FloatNdArray x = array(shape(2, 2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        15);
    assertValues(shape(2, 8), new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        predict(Flatten.of(), x));
  }

  @Test
  void aDenseAfterFlattenSeesPixelRowColumnChannel() {
    // A one-hot kernel at index 5 = (row 1, column 0, channel 1) of a 2x2x2 image picks x[5].
    float[] k = new float[8];
    k[5] = 1;
    FloatNdArray x = array(shape(1, 2, 2, 2), 10, 11, 12, 13, 14, 15, 16, 17);
    try (Sequential model = new Sequential(Input.of(2, 2, 2), Flatten.of(),
        Dense.of(1).useBias(false))) {
      model.setWeights(List.of(array(shape(8, 1), k)));
      assertEquals(15f, model.predict(x).getFloat(0, 0));
    }
  }

  @Test
  void toStringIsFlattenWithItsName() {
    assertEquals("Flatten()", Flatten.of().toString());
    assertEquals("Flatten(name=f)", Flatten.of().name("f").toString());
  }
}

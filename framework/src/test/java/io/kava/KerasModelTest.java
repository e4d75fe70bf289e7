package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.ReLU;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** Keras model configs of every dialect to Kava models, and the errors for what Kava lacks. */
class KerasModelTest {

  static Model build(String json) throws Exception {
    return KerasModel.build(new ObjectMapper().readTree(json), "test");
  }

  /** A Keras 3 layer entry of a functional config; {@code inbound} are keras_history names. */
  static String k3(String cls, String name, String config, String... inbound) {
    StringBuilder args = new StringBuilder();
    for (String in : inbound) {
      args.append(args.length() == 0 ? "" : ", ")
          .append("{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\":")
          .append(" [null, 4], \"dtype\": \"float32\", \"keras_history\": [\"")
          .append(in).append("\", 0, 0]}}");
    }
    // Keras 3 serializes a tuple of tensors as a __tuple__ object.
    String a = inbound.length > 1 ? "[{\"class_name\": \"__tuple__\", \"config\": {\"value\": ["
        + args + "]}}]" : "[" + args + "]";
    return "{\"module\": \"keras.layers\", \"class_name\": \"" + cls + "\", \"config\": {"
        + "\"name\": \"" + name + "\", \"trainable\": true, \"dtype\": {\"module\": \"keras\","
        + " \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"},"
        + " \"registered_name\": null}"
        + (config.isEmpty() ? "" : ", " + config) + "}, \"registered_name\": null, \"name\": \""
        + name + "\", \"inbound_nodes\": [" + (inbound.length == 0 ? ""
        : "{\"args\": " + a + ", \"kwargs\": {}}") + "]}";
  }

  static String functional(String outputs, String... layers) {
    return "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\","
        + " \"config\": {\"name\": \"functional\", \"trainable\": true, \"layers\": ["
        + String.join(", ", layers) + "], \"input_layers\": [[\"x\", 0, 0]], \"output_layers\": "
        + outputs + "}, \"registered_name\": \"Functional\"}";
  }

  static final String INPUT = "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\","
      + " \"config\": {\"batch_shape\": [null, 4], \"dtype\": \"float32\", \"sparse\": false,"
      + " \"name\": \"x\"}, \"registered_name\": null, \"name\": \"x\", \"inbound_nodes\": []}";

  @Test
  void keras3FunctionalConfigWithKerasHistoryAndDtypePolicies() throws Exception {
    // Keras's layer order (b before a) differs from a depth-first walk from the output.
    String json = functional("[[\"sum\", 0, 0]]", INPUT,
        k3("Dense", "b", "\"units\": 4, \"activation\": \"silu\", \"use_bias\": true", "x"),
        k3("Dense", "a", "\"units\": 4, \"activation\": \"relu\", \"use_bias\": false", "x"),
        k3("Add", "sum", "", "a", "b"));
    try (Model m = build(json)) {
      assertEquals("functional", m.name());
      assertEquals(List.of("x"), m.inputNames());
      assertEquals(List.of("sum"), m.outputNames());
      assertEquals(List.of("b", "a", "sum"), m.topology().layerNames());
      Dense b = assertInstanceOf(Dense.class, m.topology().layers().get(0));
      assertEquals(Activation.SWISH, b.activation());
      assertEquals(false, ((Dense) m.topology().layers().get(1)).useBias());
      assertEquals(List.of("b/kernel", "b/bias", "a/kernel"), m.weightNames());
    }
  }

  @Test
  void layersSavedUntrainableComeBackFrozen() throws Exception {
    String frozenDense = k3("Dense", "base", "\"units\": 4", "x")
        .replace("\"trainable\": true", "\"trainable\": false");
    String json = functional("[[\"head\", 0, 0]]", INPUT, frozenDense,
        k3("Dense", "head", "\"units\": 2", "base"));
    try (Model m = build(json)) {
      assertEquals(List.of("base"), m.frozenLayers());
      assertTrue(m.summaryString().contains("Trainable params: 10"), m.summaryString());
    }
  }

  @Test
  void keras2FunctionalConfigWithNestedListInboundNodesAndASharedLayer() throws Exception {
    String json =
        """
        {"class_name": "Model", "config": {"name": "shared", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3],
           "dtype": "float32", "name": "in_a"}, "name": "in_a", "inbound_nodes": []},
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3],
           "dtype": "float32", "name": "in_b"}, "name": "in_b", "inbound_nodes": []},
          {"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "tanh"},
           "name": "d", "inbound_nodes": [[["in_a", 0, 0, {}]], [["in_b", 0, 0, {}]]]},
          {"class_name": "Concatenate", "config": {"name": "cat", "axis": -1}, "name": "cat",
           "inbound_nodes": [[["d", 0, 0, {}], ["d", 1, 0, {}]]]}],
         "input_layers": [["in_a", 0, 0], ["in_b", 0, 0]],
         "output_layers": [["cat", 0, 0]]}}
        """;
    try (Model m = build(json)) {
      assertEquals(List.of("in_a", "in_b"), m.inputNames());
      assertEquals(Shape.of(4), m.topology().outputShape(0));
      assertEquals(List.of("d/kernel", "d/bias"), m.weightNames());
    }
  }

  @Test
  void keras1SequentialIsTheLayerListWithKeras1Names() throws Exception {
    String json =
        """
        {"class_name": "Sequential", "config": [
          {"class_name": "Convolution2D", "config": {"name": "convolution2d_1", "nb_filter": 8,
           "nb_row": 3, "nb_col": 3, "subsample": [2, 2], "border_mode": "same",
           "dim_ordering": "tf", "activation": "relu", "init": "glorot_uniform", "bias": true,
           "batch_input_shape": [null, 28, 28, 1], "input_dtype": "float32"}},
          {"class_name": "MaxPooling2D", "config": {"name": "maxpooling2d_1",
           "pool_size": [2, 2], "strides": [2, 2], "border_mode": "valid",
           "dim_ordering": "tf"}},
          {"class_name": "Flatten", "config": {"name": "flatten_1"}},
          {"class_name": "Dropout", "config": {"name": "dropout_1", "p": 0.25}},
          {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 10,
           "activation": "softmax", "init": "glorot_uniform", "W_regularizer": null}}],
         "keras_version": "1.2.2"}
        """;
    try (Model m = build(json)) {
      Sequential s = assertInstanceOf(Sequential.class, m);
      assertEquals(List.of("convolution2d_1_input"), s.inputNames());
      assertEquals(Shape.of(28, 28, 1), s.inputShape());
      Conv2D c = assertInstanceOf(Conv2D.class, s.layers().get(0));
      assertEquals(8, c.filters());
      assertEquals(0.25, assertInstanceOf(Dropout.class, s.layers().get(3)).rate());
      assertEquals(Shape.of(10), s.outputShape());
      assertEquals(8 * 9 + 8 + 7 * 7 * 8 * 10 + 10, s.countParams());
    }
  }

  @Test
  void keras3SequentialWithAnInputLayerAndLeakyRelu() throws Exception {
    String json =
        """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "seq", "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape":
           [null, 5], "dtype": "float32", "sparse": false, "name": "features"},
           "registered_name": null},
          {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense",
           "units": 3, "activation": "linear", "use_bias": true, "dtype": {"module": "keras",
           "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}},
           "kernel_initializer": {"module": "keras.initializers", "class_name": "HeNormal",
           "config": {"seed": null}}, "kernel_regularizer": {"module": "keras.regularizers",
           "class_name": "L2", "config": {"l2": 0.01}}}, "registered_name": null},
          {"module": "keras.layers", "class_name": "LeakyReLU", "config": {"name": "leaky",
           "negative_slope": 0.2}, "registered_name": null}],
         "build_input_shape": [null, 5]}}
        """;
    try (Model m = build(json)) {
      Sequential s = assertInstanceOf(Sequential.class, m);
      assertEquals(List.of("features"), s.inputNames());
      assertEquals(List.of("dense", "leaky"), s.layerNames());
      Dense d = (Dense) s.layers().get(0);
      assertEquals("he_normal", d.kernelInitializer().toString());
      assertEquals(0.01, d.kernelRegularizer().config().getDouble("l2", 0));
      assertEquals(0.2, ((ReLU) s.layers().get(1)).negativeSlope());
    }
  }

  @Test
  void unsupportedContentIsOneErrorListingEveryLayerAndBuildsNothing() {
    String json =
        """
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "Dense", "config": {"name": "d", "units": 4,
           "batch_input_shape": [null, 8]}},
          {"class_name": "Lambda", "config": {"name": "lam", "function": "..."}},
          {"class_name": "Dense", "config": {"name": "g", "units": 4, "activation": "gelu"}},
          {"class_name": "MyLayer", "module": "my_project.layers", "registered_name":
           "Custom>MyLayer", "config": {"name": "mine"}},
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 4}},
          {"class_name": "Dense", "config": {"name": "q", "units": 4, "dtype": {"module":
           "keras", "class_name": "QuantizedDTypePolicy", "config": {"name":
           "int8_from_float32"}}}}]}}
        """;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(json));
    assertEquals("test: the model cannot be imported; 5 of its 6 layers are not supported:\n"
        + "  layers[1] 'lam' (Lambda): Lambda layers hold Python code, which cannot be"
        + " imported\n"
        + "  layers[2] 'g' (Dense): activation 'gelu' is not one of Kava's (linear, relu,"
        + " sigmoid, softmax, tanh, elu, selu, softplus, softsign, swish/silu)\n"
        + "  layers[3] 'mine' (MyLayer): a custom class (Custom>MyLayer)\n"
        + "  layers[4] 'lstm' (LSTM): recurrent layers are not in Kava\n"
        + "  layers[5] 'q' (Dense): dtype policy 'int8_from_float32': Kava layers compute in"
        + " float32 (float and mixed-precision policies are read as float32; quantized ones"
        + " are not)\n"
        + "Kava imports these Keras layers: " + KerasLayers.supported() + ".", e.getMessage());
  }

  @Test
  void channelsFirstIsAClearError() {
    String json =
        """
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "Conv2D", "config": {"name": "conv", "filters": 4,
           "kernel_size": [3, 3], "data_format": "channels_first",
           "batch_input_shape": [null, 1, 28, 28]}}]}}
        """;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(json));
    assertTrue(e.getMessage().contains("layers[0] 'conv' (Conv2D): data_format"
        + " 'channels_first' (NCHW): Kava computes channels_last (NHWC) only; re-save the"
        + " model with data_format='channels_last'"), e.getMessage());
  }

  @Test
  void batchNormalizationOverAnotherAxisThanTheLastFails() {
    String json =
        """
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": 1,
           "batch_input_shape": [null, 4, 4, 3]}}]}}
        """;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(json));
    assertEquals("test: layers[0] 'bn' (BatchNormalization) does not fit its input: its axis 1"
        + " must be the last axis of its input (None, 4, 4, 3); Kava normalizes over the last"
        + " (channels) axis only.", e.getMessage());
  }

  @Test
  void unknownInputSizesAndSubclassedModelsAreClearErrors() {
    String json =
        """
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"name": "img",
           "batch_shape": [null, null, null, 3]}},
          {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap"}}]}}
        """;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(json));
    assertTrue(e.getMessage().contains("layers[0] 'img' (InputLayer): input shape [None,None,"
        + "None,3] has unknown sizes; Kava needs every size but the batch's"), e.getMessage());
    IllegalArgumentException sub = assertThrows(IllegalArgumentException.class,
        () -> build("{\"class_name\": \"MyModel\", \"config\": {}}"));
    assertTrue(sub.getMessage().startsWith("test: the model's class_name must be Sequential,"
        + " Functional or Model; got 'MyModel'."), sub.getMessage());
  }
}

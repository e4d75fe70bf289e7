package io.kava.tools;

import io.kava.saving.SavedModel;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kava inspect}: the {@code saved_model_cli show --dir DIR --all} report. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Lists a SavedModel's signatures, inputs and outputs, in the layout of"
        + " saved_model_cli show --all.")
final class InspectCommand implements Runnable {
  @Option(names = "--dir", required = true, description = "The SavedModel directory (or a TF"
      + " Serving base path: its highest version is shown).")
  Path dir;

  @Option(names = "--all", description = "Show every signature (the only report Kava prints;"
      + " accepted for saved_model_cli compatibility).")
  boolean all;

  @Override
  public void run() {
    try (SavedModel sm = SavedModel.load(dir)) {
      System.out.print(report(sm));
    }
  }

  static String report(SavedModel sm) {
    StringBuilder b = new StringBuilder();
    b.append("MetaGraphDef with tag-set: 'serve' contains the following SignatureDefs:\n");
    for (SignatureInfo s : sm.signatures().values()) {
      b.append("\nsignature_def['").append(s.name()).append("']:\n");
      b.append("  The given SavedModel SignatureDef contains the following input(s):\n");
      tensors(b, "inputs", s.inputs());
      b.append("  The given SavedModel SignatureDef contains the following output(s):\n");
      tensors(b, "outputs", s.outputs());
      b.append("  Method name is: ").append(s.methodName()).append('\n');
    }
    return b.toString();
  }

  private static void tensors(StringBuilder b, String kind, Map<String, TensorSpec> specs) {
    for (TensorSpec t : specs.values()) {
      b.append("    ").append(kind).append("['").append(t.key()).append("'] tensor_info:\n");
      b.append("        dtype: ").append(t.dtype()).append('\n');
      b.append("        shape: ").append(t.shapeText()).append('\n');
      b.append("        name: ").append(t.tensorName()).append('\n');
    }
  }
}

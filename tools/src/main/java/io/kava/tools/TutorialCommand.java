package io.kava.tools;

import io.kava.tools.tutorials.AlexNetTutorial;
import io.kava.tools.tutorials.Cifar10Tutorial;
import io.kava.tools.tutorials.MnistCnnTutorial;
import io.kava.tools.tutorials.OddEvenTutorial;
import io.kava.tools.tutorials.ResNetCifar10Tutorial;
import io.kava.tools.tutorials.SparseLabelsTutorial;
import io.kava.tools.tutorials.TutorialData;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kava tutorial NAME}: runs one of the classic Keras tutorials ported to Kava. */
@Command(name = "tutorial", mixinStandardHelpOptions = true,
    description = "Runs a classic Keras tutorial in Kava: mnist-cnn, odd-even, cifar10,"
        + " cifar10-resnet, sparse, alexnet.")
final class TutorialCommand implements Runnable {

  @Parameters(index = "0",
      description = "mnist-cnn, odd-even, cifar10, cifar10-resnet, sparse or alexnet.")
  String name;

  @Option(names = "--quick", description = "A short run (under two minutes) on a subset.")
  boolean quick;

  @Option(names = "--data", defaultValue = "../shared/data/cifar10-jpg",
      description = "CIFAR-10 JPEG folders with train/ and test/ (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--epochs", description = "cifar10, cifar10-resnet, sparse and alexnet:"
      + " epochs of each training (default: cifar10 25, cifar10-resnet 10, sparse 10, alexnet"
      + " 30; with --quick 2, 1, 1-2 and 1).")
  Integer epochs;

  @Option(names = "--kaggle", description = "alexnet: Kaggle's Dogs vs Cats train/ folder"
      + " (default: CIFAR-10's cats and dogs as a stand-in).")
  Path kaggle;

  @Option(names = "--output", defaultValue = "kava-output",
      description = "Where models and pictures (PNG) are saved (default: ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public void run() {
    switch (name) {
      case "mnist-cnn" -> MnistCnnTutorial.run(System.out, quick, output);
      case "odd-even" -> OddEvenTutorial.run(System.out, quick, output);
      case "cifar10" -> Cifar10Tutorial.run(System.out, quick, data, output,
          epochs != null ? epochs : quick ? 2 : 25);
      case "cifar10-resnet" -> ResNetCifar10Tutorial.run(System.out, quick, data, output,
          epochs != null ? epochs : quick ? 1 : 10);
      case "sparse" -> SparseLabelsTutorial.run(System.out, quick, data,
          TutorialData.kerasCache(), output, epochs != null ? epochs : quick ? 0 : 10);
      case "alexnet" -> AlexNetTutorial.run(System.out, quick, kaggle, data, output,
          epochs != null ? epochs : quick ? 1 : 30);
      default -> throw new IllegalArgumentException("tutorial must be mnist-cnn, odd-even,"
          + " cifar10, cifar10-resnet, sparse or alexnet; got '" + name + "'.");
    }
  }
}

// Kava in JShell: a training curve drawn from a History, with int[] class-index labels.
// Run with: tools/kava shell tools/jshell/curves.jsh
var digits = Mnist.sample()
var train = digits.take(0, 2000)
var test = digits.take(8000, 9000)
var scale = ImageDataGenerator.builder().rescale(1 / 255.0).build()
var model = MnistSimpleCnn.create().seed(1)
model.compile(new Adam(0.003), new SparseCategoricalCrossentropy(), new Accuracy())
var history = model.fit(scale.standardize(train.images()), train.labels(), FitOptions.defaults().epochs(3).seed(1).verbose(0).validationData(scale.standardize(test.images()), test.labels()))
var png = Path.of(System.getProperty("java.io.tmpdir"), "kava-walkthrough", "curves.png")
Plots.history(history, "mnist_simple_cnn on 2,000 MNIST digits", png)
System.out.println("curves written to " + png.toAbsolutePath())
/exit

// Kava in JShell: train, evaluate and export a CNN on the bundled MNIST digits.
// Run with: tools/kava shell tools/jshell/walkthrough.jsh
var digits = Mnist.sample()
var train = digits.take(0, 2000)
var test = digits.take(8000, 9000)
var x = ImageDataGenerator.builder().rescale(1 / 255.0).build().standardize(train.images())
var xTest = ImageDataGenerator.builder().rescale(1 / 255.0).build().standardize(test.images())
var model = MnistSimpleCnn.create().seed(1)
model.compile(new Adam(0.003), new CategoricalCrossentropy(), new Accuracy())
model.summary()
var history = model.fit(x, train.oneHotLabels(), FitOptions.defaults().epochs(2).seed(1).verbose(2))
System.out.println(history)
var scores = model.evaluate(xTest, test.oneHotLabels())
System.out.printf("walkthrough accuracy: %.4f%n", scores.get("accuracy"))
model.export(Path.of(System.getProperty("java.io.tmpdir"), "kava-walkthrough", "1"))
try (var sm = SavedModel.load(Path.of(System.getProperty("java.io.tmpdir"), "kava-walkthrough"))) { System.out.println("exported signatures: " + sm.signatureNames()); }
/exit

using Parley.Nlu.Features;
using Parley.Nlu.Models;
using Parley.Nlu.Torch.Training;
using Parley.Nlu.Training;

namespace Parley.Nlu.Torch.Tests;

public sealed class EncoderIntentModelTrainerTests
{
    [Fact]
    public async Task TrainAsync_Lora_SavedFolderHoldsEncoderAndPredictsOnOnnxRuntimeAsTrained()
    {
        var folder = Directory.CreateTempSubdirectory("parley-ft-");
        try
        {
            var options = new EncoderTrainerOptions
            {
                Method = EncoderTrainingMethod.Lora,
                Epochs = 2,
                BatchSize = 4,
                AdapterLearningRate = 5e-3,
                HeadLearningRate = 5e-2,
                MaxTokens = 16,
                Threads = 1,
                CheckpointDirectory = Path.Combine(folder.FullName, "work"),
            };

            using var trained = await EncoderIntentModelTrainer.TrainAsync(TinyIntents.Training, TinyIntents.Validation, options, new TrainerOptions { Epochs = 30 });
            var modelFolder = Path.Combine(folder.FullName, "model");
            await trained.Model.SaveAsync(modelFolder);
            var loaded = await IntentModel.LoadAsync(modelFolder, settings => FeaturizerFactory.Create(settings, null));

            Assert.True(File.Exists(Path.Combine(modelFolder, "encoder.onnx")));
            Assert.Equal("encoder.onnx", loaded.Manifest.Featurizer.EncoderFile);
            Assert.True(File.Exists(trained.AdapterFile));
            var texts = TinyIntents.Validation.Select(e => e.Text).ToArray();
            var before = await trained.Model.PredictBatchAsync(texts);
            var after = await loaded.PredictBatchAsync(texts);
            Assert.Equal(before.Select(p => p.ClosedPredicted), after.Select(p => p.ClosedPredicted));
            Assert.Equal(TinyIntents.Validation.Select(e => e.Intent), after.Select(p => p.ClosedPredicted));
            Assert.All(before.Zip(after), x => Assert.Equal(x.First.Confidence, x.Second.Confidence, 4));

            // A loaded model saves again (as 'nlu calibrate' does), elsewhere and in place: its manifest names the encoder
            // relative to its folder, which must not be read relative to the working directory.
            var copy = Path.Combine(folder.FullName, "copy");
            await loaded.SaveAsync(copy);
            await loaded.SaveAsync(modelFolder);
            foreach (var saved in new[] { copy, modelFolder })
            {
                var again = await IntentModel.LoadAsync(saved, settings => FeaturizerFactory.Create(settings, null));
                Assert.Equal(after.Select(p => p.Confidence), (await again.PredictBatchAsync(texts)).Select(p => p.Confidence));
            }

            File.Delete(Path.Combine(modelFolder, "encoder.onnx"));
            var missing = await Assert.ThrowsAsync<ModelFormatException>(() => IntentModel.LoadAsync(modelFolder, settings => FeaturizerFactory.Create(settings, null)));
            Assert.Contains("encoder.onnx", missing.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

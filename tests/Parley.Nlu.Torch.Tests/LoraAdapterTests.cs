using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Torch.Tests;

public sealed class LoraAdapterTests
{
    [Fact]
    public void ExportOnnx_WithTrainedAdapters_MergedModelEqualsUnmergedEncoder()
    {
        var folder = Directory.CreateTempSubdirectory("parley-lora-");
        try
        {
            using var encoder = TorchSentenceEncoder.Load();
            encoder.AddAdapters(["query", "value"], rank: 8, alpha: 16, seed: 3);
            using (TorchSharp.torch.no_grad())
            {
                foreach (var (_, parameter) in encoder.Module.AdapterParameters())
                {
                    parameter.normal_(0, 0.05);
                }
            }

            var texts = Sentences.Spread(30);
            var unmerged = encoder.Encode(texts);
            var path = Path.Combine(folder.FullName, "merged.onnx");
            encoder.ExportOnnx(path);
            using var merged = new OnnxSentenceEncoder(new EncoderOptions { ModelPath = path, MaxTokens = 128 });

            var actual = merged.Encode(texts);

            var worst = Enumerable.Range(0, texts.Count).Min(i => Sentences.Cosine(unmerged[i], actual[i]));
            Assert.True(worst >= 0.9999, $"lowest cosine {worst:F6}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void SaveAdapters_LoadedOnFreshEncoder_GivesTheSameEmbeddingsFromASmallFile()
    {
        var folder = Directory.CreateTempSubdirectory("parley-lora-");
        try
        {
            var path = Path.Combine(folder.FullName, "adapters.bin");
            var texts = Sentences.Spread(20);
            float[][] expected;
            using (var encoder = TorchSentenceEncoder.Load())
            {
                encoder.AddAdapters(["query", "value"], rank: 8, alpha: 16, seed: 3);
                using (TorchSharp.torch.no_grad())
                {
                    foreach (var (_, parameter) in encoder.Module.AdapterParameters())
                    {
                        parameter.normal_(0, 0.05);
                    }
                }

                expected = encoder.Encode(texts);
                encoder.SaveAdapters(path);
            }

            using var fresh = TorchSentenceEncoder.Load();
            var before = fresh.Encode(texts);
            fresh.LoadAdapters(path);
            var actual = fresh.Encode(texts);

            Assert.True(new FileInfo(path).Length < 2 * 1024 * 1024);
            Assert.All(Enumerable.Range(0, texts.Count), i => Assert.True(Sentences.Cosine(expected[i], actual[i]) >= 0.99999));
            Assert.Contains(Enumerable.Range(0, texts.Count), i => Sentences.Cosine(before[i], actual[i]) < 0.999);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

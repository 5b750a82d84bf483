using Parley.Nlu.Embeddings;

namespace Parley.Nlu.Torch.Tests;

public sealed class TorchSentenceEncoderTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    [Fact]
    public void Encode_PackageWeights_EqualsOnnxRuntimeOn200Sentences()
    {
        var texts = Sentences.Spread(200);

        var torch = encoders.Torch.Encode(texts);
        var onnx = encoders.Onnx.Encode(texts);

        Assert.Equal(200, torch.Length);
        var worst = Enumerable.Range(0, texts.Count).Min(i => Sentences.Cosine(torch[i], onnx[i]));
        Assert.True(worst >= 0.9999, $"lowest cosine {worst:F6}");
        Assert.All(torch, v => Assert.Equal(384, v.Length));
    }

    [Fact]
    public void ExportOnnx_ChangedWeights_OnnxRuntimeEqualsTorchSharp()
    {
        var folder = Directory.CreateTempSubdirectory("parley-torch-");
        try
        {
            using var encoder = TorchSentenceEncoder.Load();
            encoder.AddAdapters(["query", "value"], rank: 4, alpha: 8, seed: 7);
            using (TorchSharp.torch.no_grad())
            {
                foreach (var (_, parameter) in encoder.Module.AdapterParameters())
                {
                    parameter.normal_(0, 0.05);
                }

                var word = encoder.Module.NamedTensors().First(t => t.Name == "encoder.layer.3.intermediate.dense.weight").Tensor;
                word.mul_(1.1);
            }

            var path = Path.Combine(folder.FullName, "encoder.onnx");
            encoder.ExportOnnx(path);
            var texts = Sentences.Spread(40);
            var torch = encoder.Encode(texts);
            using var exported = new OnnxSentenceEncoder(new EncoderOptions { ModelPath = path, MaxTokens = 128 });
            var onnx = exported.Encode(texts);
            var original = encoders.Onnx.Encode(texts);

            var worst = Enumerable.Range(0, texts.Count).Min(i => Sentences.Cosine(torch[i], onnx[i]));
            Assert.True(worst >= 0.9999, $"lowest cosine {worst:F6}");
            // The change is large enough to matter, so equality above is not the untouched model agreeing with itself.
            var moved = Enumerable.Range(0, texts.Count).Min(i => Sentences.Cosine(original[i], onnx[i]));
            Assert.True(moved < 0.999, $"the exported model equals the original (lowest cosine {moved:F6})");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

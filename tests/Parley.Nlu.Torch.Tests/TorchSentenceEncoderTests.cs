using Parley.Nlu.Embeddings;
using Parley.Nlu.Torch.Modeling;
using static TorchSharp.torch;

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
    public void EmbedFrom_LowerStatesOfEachSentenceAlonePadded_EqualsEmbeddingTheBatch()
    {
        // What fine-tuning with frozen layers relies on: states computed once per utterance, padded into any batch later.
        var encoder = encoders.Torch;
        var sequences = Sentences.Spread(40).Select(t => encoder.Tokenizer.EncodeToIds(t)).ToArray();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (ids, mask) = TokenBatch.Create(sequences, encoder.Tokenizer.PadId);
        var whole = Rows(encoder.Module.Embed(ids, mask));
        var alone = sequences.Select(s =>
        {
            var (one, oneMask) = TokenBatch.Create([s], encoder.Tokenizer.PadId);
            return encoder.Module.Lower(one, oneMask, 3)[0];
        }).ToArray();

        var fromStates = Rows(encoder.Module.EmbedFrom(nn.utils.rnn.pad_sequence(alone, batch_first: true), mask, 3));

        var worst = Enumerable.Range(0, sequences.Length).Min(i => Sentences.Cosine(whole[i], fromStates[i]));
        Assert.True(worst >= 0.9999, $"lowest cosine {worst:F6}");
    }

    private static float[][] Rows(Tensor embeddings) =>
        Enumerable.Range(0, (int)embeddings.shape[0]).Select(i => embeddings[i].data<float>().ToArray()).ToArray();

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
